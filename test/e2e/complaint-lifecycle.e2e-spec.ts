import { removeDataDir, startApp, newComplaint, type RunningApp } from './support/test-app';

describe('complaint lifecycle over HTTP', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });

  async function receive(body: object = newComplaint) {
    const response = await app.request('POST', '/complaints', { role: 'agent', body });
    expect(response.status).toBe(201);
    return response;
  }

  it('drives a complaint from receipt to callback, each step an event with its metadata', async () => {
    const received = await receive();
    const id: string = received.body.id;
    expect(received.body).toEqual({ id, revision: 0, position: expect.any(Number) });
    expect(received.headers.get('location')).toBe(`/complaints/${id}`);
    expect(received.headers.get('etag')).toBe('"0"');

    const steps: Array<[string, object, 'agent' | 'supervisor']> = [
      ['validate', { reason: 'Meter log shows a 5 L shortfall.', evidence: 'meter-log.pdf' }, 'supervisor'],
      ['assign', { department: 'station-ops', assignee: 'zhang.wei', reason: 'metering' }, 'supervisor'],
      ['apologise', { statement: '非常抱歉给您带来不便', channel: 'phone' }, 'agent'],
      ['resolve', { resolutionClass: 'immediate', remedy: 'refund', rootCause: 'meter drift', correctiveAction: 'recalibrate', customerAccepted: true }, 'agent'],
      ['callback', { outcome: 'satisfied', satisfaction: 5, remarks: 'thanks' }, 'agent'],
    ];
    let position = received.body.position as number;
    for (const [index, [verb, body, role]] of steps.entries()) {
      const response = await app.request('POST', `/complaints/${id}/${verb}`, { role, body });
      expect({ verb, status: response.status }).toEqual({ verb, status: 200 });
      expect(response.body.revision).toBe(index + 1);
      expect(response.body.position).toBeGreaterThan(position);
      expect(response.headers.get('etag')).toBe(`"${index + 1}"`);
      position = response.body.position;
    }

    const state = await app.request('GET', `/complaints/${id}`, { role: 'analyst' });
    expect(state.status).toBe(200);
    expect(state.headers.get('etag')).toBe('"5"');
    expect(state.body).toMatchObject({
      id, status: 'closed', revision: 5, severity: 'high', customer: { id: 'cust-10086', name: '王先生', segment: 'private-car' },
      assignment: { department: 'station-ops', assignee: 'zhang.wei' }, resolution: { remedy: 'refund', customerAccepted: true },
      callback: { satisfaction: 5 }, sla: { policyVersion: 'seed-default-v1', durations: { firstReply: 'PT1H' } },
    });
    expect(state.body.firstReplyAt).not.toBeNull();

    const events = await app.request('GET', `/complaints/${id}/events`, { role: 'auditor' });
    expect(events.status).toBe(200);
    expect(events.body.events.map((event: { type: string }) => event.type)).toEqual([
      'ComplaintReceived', 'ComplaintValidated', 'ComplaintAssigned', 'ComplaintApologised', 'ComplaintResolved', 'CallbackDone',
    ]);
    const [receivedEvent, validatedEvent] = events.body.events;
    expect(receivedEvent.metadata).toEqual({
      eventId: expect.any(String), commandId: expect.any(String), commandType: 'ReceiveComplaint', correlationId: expect.any(String),
      causationId: expect.any(String), actor: { id: 'agent-e2e', role: 'agent' }, occurredAt: receivedEvent.data.receivedAt, schemaVersion: 2,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(validatedEvent.metadata).toMatchObject({ actor: { id: 'supervisor-e2e', role: 'supervisor' }, reason: 'Meter log shows a 5 L shortfall.' });
    expect(receivedEvent.data.sla.firstReplyDue).toBe(new Date(Date.parse(receivedEvent.data.receivedAt) + 3_600_000).toISOString());
  });

  it('keeps a complaint whose customer refused the solution open until it is escalated', async () => {
    const { body: { id } } = await receive();
    for (const [verb, body] of [
      ['validate', { reason: 'ok' }], ['assign', { department: 'station-ops', assignee: 'li' }],
      ['resolve', { resolutionClass: 'short-term', remedy: 'voucher', customerAccepted: false }],
    ] as const) expect((await app.request('POST', `/complaints/${id}/${verb}`, { body })).status).toBe(200);

    const refused = await app.request('POST', `/complaints/${id}/callback`, { role: 'agent', body: { outcome: 'satisfied', satisfaction: 4 } });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'resolution-refused-not-escalated', currentStatus: 'resolved' });

    expect((await app.request('POST', `/complaints/${id}/escalate`, { body: { to: 'regional-manager', reason: 'customer refused the voucher' } })).status).toBe(200);
    const unsatisfied = await app.request('POST', `/complaints/${id}/callback`, { role: 'agent', body: { outcome: 'unsatisfied', satisfaction: 2 } });
    expect(unsatisfied.status).toBe(200);
    expect((await app.request('GET', `/complaints/${id}`)).body).toMatchObject({ status: 'follow-up-required', escalation: { level: 1, to: 'regional-manager' } });
    expect((await app.request('POST', `/complaints/${id}/reopen`, { body: { reason: 'customer still unhappy' } })).status).toBe(200);
    expect((await app.request('GET', `/complaints/${id}`)).body).toMatchObject({ status: 'assigned', reopenCount: 1 });
  });

  it('records a rejection and reopens it when the customer disputes it', async () => {
    const { body: { id } } = await receive();
    expect((await app.request('POST', `/complaints/${id}/reject`, { body: { reason: 'pump calibrated that morning' } })).status).toBe(200);
    expect((await app.request('GET', `/complaints/${id}`)).body).toMatchObject({ status: 'rejected', rejection: { reason: 'pump calibrated that morning' } });
    expect((await app.request('POST', `/complaints/${id}/reopen`, { body: { reason: 'receipt disagrees' } })).status).toBe(200);
    expect((await app.request('GET', `/complaints/${id}`)).body.status).toBe('received');
  });

  it('records the correlation and causation ids sent by the caller', async () => {
    const response = await app.request('POST', '/complaints', { role: 'agent', body: newComplaint, headers: { 'x-correlation-id': 'call-2026-0001', 'x-causation-id': 'ivr-menu-3' } });
    const events = await app.request('GET', `/complaints/${response.body.id}/events`);
    expect(events.body.events[0].metadata).toMatchObject({ correlationId: 'call-2026-0001', causationId: 'ivr-menu-3' });
  });

  it('serves the taxonomy with Chinese and English labels without a token', async () => {
    const response = await app.request('GET', '/taxonomy', { role: null });
    expect(response.status).toBe(200);
    expect(response.body.cause).toContainEqual({ code: 'quantity-metering', labels: { 'zh-CN': '油品数量/计量', en: 'Quantity / metering' } });
    expect(Object.keys(response.body)).toEqual(['cause', 'behaviour', 'purpose', 'channel', 'severity', 'resolutionClass', 'remedy', 'customerSegment', 'callbackOutcome']);
  });

  it('documents every route in OpenAPI, with examples, and serves the docs UI', async () => {
    const spec = await app.request('GET', '/docs-json', { role: null });
    expect(spec.status).toBe(200);
    for (const verb of ['validate', 'reject', 'assign', 'apologise', 'escalate', 'resolve', 'callback', 'reopen']) {
      expect(spec.body.paths[`/complaints/{id}/${verb}`]?.post).toBeDefined();
    }
    expect(spec.body.components.schemas.ReceiveComplaintDto.properties.cause.example).toBe('quantity-metering');
    const ui = await app.request('GET', '/docs', { role: null });
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toContain('swagger');
  });

  it('answers the health check', async () => {
    const response = await app.request('GET', '/health', { role: null });
    expect(response).toMatchObject({ status: 200, body: { status: 'ok', eventStore: { headPosition: expect.any(Number) } } });
  });
});
