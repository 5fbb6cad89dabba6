import { randomUUID } from 'node:crypto';
import type { CommandContext } from '@app/complaints';
import { CustomerFileCommandExecutor } from '@app/customers';
import { KeyStore } from '@app/key-store';
import { buildAsOf as buildAsOfOver } from './support/as-of';
import { TOKENS, newComplaint, useRestartableApp } from './support/test-app';

/**
 * An as-of generation built before an erasure never sees its event (issue 19, docs/adr/0019): it kept
 * the erased name, and the README told an admin to drop it. The erasure's completion now cleans every
 * as-of generation as the live read models clean themselves, before the keys go, and a start finishes
 * it when a stop cut it short.
 */
const REQUEST = { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-081' };
const context = (): CommandContext => { const id = randomUUID(); return { commandId: id, correlationId: id, causationId: id, actor: { id: 'admin-e2e', role: 'admin' } }; };

describe('an erasure reaches the read models built as of an earlier moment', () => {
  jest.setTimeout(120_000);
  const { app: current, restart } = useRestartableApp();

  /** Receives a complaint of a customer with a name no other word here contains (the search matches ids too). */
  const receive = async (customerId: string, customerName: string) => {
    const received = await current().request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, customerId, customerName } });
    expect(received.status).toBe(201);
    return received.body as { id: string; position: number };
  };
  const buildAsOf = (name: string, position: number) => buildAsOfOver(current(), name, position);
  const text = async (path: string) => (await fetch(`${current().baseUrl}${path}`, { headers: { authorization: `Bearer ${TOKENS.supervisor}` } })).text();
  /** Everything an analyst reads of the generation about the customer: its list, search, customer view, files, CSVs. */
  const asOfViews = async (name: string, customerId: string, word: string) => [
    await text(`/complaints?asOf=${name}&customerId=${customerId}`),
    await text(`/complaints?asOf=${name}&q=${encodeURIComponent(word)}`),
    await text(`/complaints?asOf=${name}&format=csv`),
    await text(`/customers/${customerId}?asOf=${name}`),
    await text(`/customers?asOf=${name}&format=csv`),
    await text(`/customers/files?asOf=${name}`),
    await text(`/customers/files?asOf=${name}&q=${encodeURIComponent(word)}`),
    await text(`/customers/files?asOf=${name}&format=csv`),
  ].join('\n');

  it('a generation built before the erasure shows no erased value in its list, search, customer view or CSV; its other facts stay', async () => {
    const customerId = 'cust-asof-1';
    const complaint = await receive(customerId, 'Quillon');
    await buildAsOf('before-erasure', complaint.position);
    // The generation held the name: what the erasure has to reach.
    expect(await asOfViews('before-erasure', customerId, 'Quillon')).toContain('Quillon');

    const erased = await current().request('POST', `/customers/${customerId}/erase`, { role: 'admin', body: REQUEST });
    expect(erased.status).toBe(200);

    const views = await asOfViews('before-erasure', customerId, 'Quillon');
    expect(views).not.toContain('Quillon');
    const list = await current().request('GET', `/complaints?asOf=before-erasure&customerId=${customerId}`, { role: 'analyst' });
    expect(list.body.items).toEqual([expect.objectContaining({ id: complaint.id, status: 'received', customerName: null, cause: newComplaint.cause })]);
    const files = await current().request('GET', `/customers/files?asOf=before-erasure`, { role: 'analyst' });
    expect(files.body.items).toEqual([expect.objectContaining({ id: customerId, status: 'erased', name: null })]);
    // The generation still answers as of its moment: nothing after it came in with the clean-up.
    expect((await current().request('GET', '/analytics/as-of/before-erasure', { role: 'analyst' })).body).toMatchObject({ status: 'done' });
  });

  it('finishes the clean-up of every generation at start when a stop cut the erasure short', async () => {
    const customerId = 'cust-asof-2';
    const complaint = await receive(customerId, 'Vashtimor');
    await buildAsOf('first-cut', complaint.position);
    await buildAsOf('second-cut', complaint.position);
    const live = await current().get(KeyStore).liveKey(customerId);
    // The erasure event alone, as the handler records it before its completion: the process stops there.
    await current().get(CustomerFileCommandExecutor).execute({
      type: 'EraseCustomerPersonalData', customerId, data: { ground: 'consent-withdrawn', reason: REQUEST.reason, keyIds: [live!.keyId] },
    }, context());
    await restart();
    for (const name of ['first-cut', 'second-cut']) expect(await asOfViews(name, customerId, 'Vashtimor')).not.toContain('Vashtimor');
    expect(await current().get(KeyStore).liveKey(customerId)).toBeNull();
  });
});
