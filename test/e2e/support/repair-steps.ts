import type { TestResponse } from './test-app';

type Ok = (method: string, path: string, who: 'agent' | { readonly token: string }, body?: unknown, status?: number) => Promise<TestResponse>;

/**
 * A free repair in warranty at 丹东服务站 by 王工 (`engineer`: 王工's token; or by `engineerId`, whose
 * token it then is), reported with `report` and carried up to the customer's sign-off, not handed over
 * yet. The answer: the work order's id.
 */
export async function signedOffRepair(ok: Ok, engineer: { readonly token: string }, report: object, engineerId = 'eng-wang'): Promise<string> {
  const id = (await ok('POST', '/work-orders', 'agent', report, 201)).body.id as string;
  await ok('POST', `/work-orders/${id}/dispatch`, 'agent', { stationCode: 'dandong-station', engineerId });
  await ok('POST', `/work-orders/${id}/arrive`, engineer, {});
  await ok('POST', `/work-orders/${id}/findings`, engineer, { findings: 'Pulser encoder worn.', faultCause: 'product-defect' });
  await ok('POST', `/work-orders/${id}/work`, engineer, { description: 'Replaced the pulser encoder.', parts: [], chargeable: false });
  await ok('POST', `/work-orders/${id}/test`, engineer, { passed: true });
  await ok('POST', `/work-orders/${id}/sign-off`, engineer, { signedBy: '李先生' });
  return id;
}
