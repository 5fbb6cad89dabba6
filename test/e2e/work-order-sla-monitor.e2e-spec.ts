import { DEFAULT_SLA_POLICY, SLA_MONITOR } from '@app/domain';
import { newWorkOrder, useApp, type TestResponse } from './support/test-app';

/** A policy of seconds: the first contact with the customer is due one second after the report. */
const SECONDS = { ...DEFAULT_SLA_POLICY, version: 'seconds-test', firstReply: 'PT1S', answer: 'PT1H', callback: 'PT1H', onSite: 'PT1H', bySeverity: {} };

interface StoredEvent {
  readonly type: string;
  readonly position: number;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

describe('the work-order SLA monitor', () => {
  const app = useApp(undefined, { slaPolicy: SECONDS, slaMonitorIntervalMs: 100 });
  const events = async (id: string): Promise<StoredEvent[]> => (await app().request('GET', `/work-orders/${id}/events`, { role: 'auditor' })).body.events;
  const breaches = async (id: string) => (await events(id)).filter((event) => event.type === 'WorkOrderSlaBreached');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('records a passed first-contact deadline once, as the system actor, and the board marks the order breached', async () => {
    const reported: TestResponse = await app().request('POST', '/work-orders', { role: 'agent', body: { ...newWorkOrder, customerId: 'cust-sla-late' } });
    expect(reported.status).toBe(201);
    const id = reported.body.id as string;

    let recorded: StoredEvent[] = [];
    for (let attempt = 0; attempt < 60 && recorded.length === 0; attempt += 1) {
      await sleep(100);
      recorded = await breaches(id);
    }
    expect(recorded).toHaveLength(1);
    const [breach] = recorded;
    expect(breach!.data).toMatchObject({ workOrderId: id, clock: 'first-contact', cycle: 1, by: SLA_MONITOR });
    expect(Date.parse(breach!.data['detectedAt'] as string)).toBeGreaterThanOrEqual(Date.parse(breach!.data['deadline'] as string));
    expect(breach!.metadata).toMatchObject({ commandType: 'RecordWorkOrderSlaBreach', actor: SLA_MONITOR });

    const board = await app().request('GET', `/work-orders/board?minPosition=${breach!.position}`, { role: 'supervisor' });
    expect(board.status).toBe(200);
    const item = board.body.items.find((candidate: { id: string }) => candidate.id === id);
    expect(item).toMatchObject({ breached: true });
    expect(item.deadlines).toContainEqual({ clock: 'first-contact', deadline: breach!.data['deadline'], breached: true });

    // Passes of the monitor go on (every 100 ms): the decider refuses the breach again, nothing more is written.
    await sleep(600);
    expect(await breaches(id)).toHaveLength(1);
    // The contact comes late: the clock is met, and still only the one breach is on record.
    const contacted = await app().request('POST', `/work-orders/${id}/contact`, { role: 'agent', body: { channel: 'phone' } });
    expect(contacted.status).toBe(200);
    await sleep(300);
    expect((await events(id)).map((event) => event.type)).toEqual(['WorkOrderReported', 'WorkOrderSlaBreached', 'WorkOrderCustomerContacted']);
  });
});
