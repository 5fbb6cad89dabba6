import type { RunningApp, TestResponse } from './test-app';

export type PostOk = (path: string, body: unknown, options?: { role?: 'admin' | 'agent' | 'supervisor'; token?: string }) => Promise<TestResponse>;

/** A POST that must succeed (the failing path and problem shown when it does not); the admin's unless told. */
export const postOk = (app: () => RunningApp): PostOk => async (path, body, options = { role: 'admin' }) => {
  const answer = await app().request('POST', path, { ...options, body });
  expect({ path, status: answer.status < 300, problem: answer.status >= 300 ? answer.body : undefined }).toEqual({ path, status: true, problem: undefined });
  return answer;
};

/** A service centre with two stations (station-a, station-b; regions 210600, 210700) and two departments (dept-a, dept-b). */
export async function addTwoStationsAndDepartments(ok: PostOk): Promise<void> {
  await ok('/service-network/units', { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: 'centre' });
  for (const [code, region, zh] of [['station-a', '210600', '甲站'], ['station-b', '210700', '乙站']]) {
    await ok('/service-network/units', { code, kind: 'station', name: { 'zh-CN': zh, en: code }, parent: 'cs-centre', regions: [region], reason: 'station' });
  }
  for (const [code, zh] of [['dept-a', '甲部'], ['dept-b', '乙部']]) {
    await ok('/service-network/units', { code, kind: 'department', name: { 'zh-CN': zh, en: code }, parent: 'cs-centre', reason: 'department' });
  }
}

/** The two stations and departments, with an engineer of each station (eng-a, eng-b) and an agent of each department (agent-a, agent-b). */
export async function addTwoStationsWithPeople(ok: PostOk): Promise<void> {
  await addTwoStationsAndDepartments(ok);
  await ok('/service-network/engineers', { engineerId: 'eng-a', name: '甲工', station: 'station-a', skills: ['pump'], reason: 'hired' });
  await ok('/service-network/engineers', { engineerId: 'eng-b', name: '乙工', station: 'station-b', skills: ['pump'], reason: 'hired' });
  await ok('/service-network/agents', { agentId: 'agent-a', name: '甲坐席', units: ['dept-a'], reason: 'hired' });
  await ok('/service-network/agents', { agentId: 'agent-b', name: '乙坐席', units: ['dept-b'], reason: 'hired' });
}
