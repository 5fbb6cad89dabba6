import { ComplaintDeskError, commandHeaders, etagOf, newIdempotencyKey, revisionOf, unwrap, type CallResult, type Schema } from '@complaint-desk/client';
import { clientOf, newComplaint, removeDataDir, startApp, type RunningApp } from './support/test-app';

/**
 * A complaint's life as a front-end drives it: through the typed client of packages/client, whose
 * types are generated from the API's OpenAPI document. A change to a route, a body or an answer that
 * breaks the client breaks the type check of this file (npm run typecheck), before any test runs.
 */
describe('complaint lifecycle over HTTP, through the typed client', () => {
  let app: RunningApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });

  const as = (role: Parameters<typeof clientOf>[1]) => clientOf(app, role);

  async function receive(body: Schema<'ReceiveComplaintDto'> = newComplaint) {
    const received = await as('agent').POST('/complaints', { body });
    expect(received.response.status).toBe(201);
    return unwrap(received);
  }

  /** A command's answer: accepted at the next revision, after `previous`, with the revision as its ETag. */
  async function accepted(call: Promise<CallResult<Schema<'CommandAcceptedDto'>>>, previous: Schema<'CommandAcceptedDto'>) {
    const result = await call;
    const answer = await unwrap(result);
    expect(answer).toEqual({ id: previous.id, revision: previous.revision + 1, position: expect.any(Number) });
    expect(answer.position).toBeGreaterThan(previous.position);
    expect(result.response.headers.get('etag')).toBe(etagOf(answer.revision));
    return answer;
  }

  it('drives a complaint from receipt to callback, each step decided on the revision it saw, then reads it back from every read route', async () => {
    const customerId = 'cust-lifecycle';
    const idempotencyKey = newIdempotencyKey();
    const agent = as('agent');
    const supervisor = as('supervisor');
    const received = await agent.POST('/complaints', { params: { header: commandHeaders({ idempotencyKey }) }, body: { ...newComplaint, customerId } });
    const receipt = await unwrap(received);
    const id = receipt.id;
    expect(receipt).toEqual({ id, revision: 0, position: expect.any(Number) });
    expect(received.response.headers.get('location')).toBe(`/complaints/${id}`);
    expect(revisionOf(received.response)).toBe(0);

    // A retry with the same key (the answer was lost on the way) records nothing and answers as the first time.
    const retried = await agent.POST('/complaints', { params: { header: commandHeaders({ idempotencyKey }) }, body: { ...newComplaint, customerId } });
    expect(await unwrap(retried)).toEqual(receipt);
    expect(retried.response.headers.get('idempotent-replayed')).toBe('true');

    const validated = await accepted(supervisor.POST('/complaints/{id}/validate', {
      params: { path: { id }, header: commandHeaders({ expectedRevision: receipt.revision }) },
      body: { reason: 'Meter log shows a 5 L shortfall.', evidence: 'meter-log.pdf' },
    }), receipt);
    const assigned = await accepted(supervisor.POST('/complaints/{id}/assign', {
      params: { path: { id }, header: commandHeaders({ expectedRevision: validated.revision, idempotencyKey: newIdempotencyKey() }) },
      body: { department: 'station-ops', assignee: 'zhang.wei', reason: 'metering' },
    }), validated);

    // A decision taken on a revision the complaint has left: 412, typed as the Problem of the document, nothing written.
    const stale = await agent.POST('/complaints/{id}/apologise', {
      params: { path: { id }, header: commandHeaders({ expectedRevision: validated.revision }) },
      body: { statement: '非常抱歉给您带来不便', channel: 'phone' },
    });
    expect(stale.response.status).toBe(412);
    expect(stale.error?.code).toBe('revision-mismatch');
    expect(stale.error).toMatchObject({ status: 412, expectedRevision: validated.revision, currentRevision: assigned.revision });

    const apologised = await accepted(agent.POST('/complaints/{id}/apologise', {
      params: { path: { id }, header: commandHeaders({ expectedRevision: assigned.revision }) },
      body: { statement: '非常抱歉给您带来不便', channel: 'phone' },
    }), assigned);
    const resolved = await accepted(agent.POST('/complaints/{id}/resolve', {
      params: { path: { id }, header: commandHeaders({ expectedRevision: apologised.revision }) },
      body: { resolutionClass: 'immediate', remedy: 'refund', rootCause: 'meter drift', correctiveAction: 'recalibrate', customerAccepted: true },
    }), apologised);
    const calledBack = await accepted(agent.POST('/complaints/{id}/callback', {
      params: { path: { id }, header: commandHeaders({ expectedRevision: resolved.revision }) },
      body: { outcome: 'satisfied', satisfaction: 5, remarks: 'thanks' },
    }), resolved);

    // The state folded from the events.
    const analyst = as('analyst');
    const read = await analyst.GET('/complaints/{id}', { params: { path: { id } } });
    expect(revisionOf(read.response)).toBe(5);
    const complaint = await unwrap(read);
    expect(complaint).toMatchObject({
      id, status: 'closed', revision: 5, severity: 'high', customer: { id: customerId, name: '王先生', segment: 'private-car' },
      assignment: { department: 'station-ops', assignee: 'zhang.wei' }, resolution: { remedy: 'refund', customerAccepted: true },
      callback: { satisfaction: 5 }, sla: { policyVersion: 'seed-default-v1', durations: { firstReply: 'PT1H' } },
    });
    expect(complaint.firstReplyAt).not.toBeNull();

    // The events, with their metadata.
    const auditor = as('auditor');
    const { events } = await unwrap(auditor.GET('/complaints/{id}/events', { params: { path: { id } } }));
    expect(events.map((event) => event.type)).toEqual([
      'ComplaintReceived', 'ComplaintValidated', 'ComplaintAssigned', 'ComplaintApologised', 'ComplaintResolved', 'CallbackDone',
    ]);
    const [receivedEvent, validatedEvent] = events;
    expect(receivedEvent?.metadata).toEqual({
      eventId: expect.any(String), commandId: expect.any(String), commandType: 'ReceiveComplaint', correlationId: expect.any(String),
      causationId: expect.any(String), actor: { id: 'agent-e2e', role: 'agent' }, occurredAt: receivedEvent?.data['receivedAt'], schemaVersion: 3, // ComplaintReceived v3 (issue 19: a description marked personal sits under personal)
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      // The typed client sends an Idempotency-Key: the request's digest, keyed by the customer's data key (the name is sealed).
      requestDigest: expect.stringMatching(/^key:[0-9a-f-]{36}:[A-Za-z0-9_-]{43}$/),
    });
    expect(validatedEvent?.metadata).toMatchObject({ actor: { id: 'supervisor-e2e', role: 'supervisor' }, reason: 'Meter log shows a 5 L shortfall.' });
    const sla = receivedEvent?.data['sla'] as { firstReplyDue: string } | undefined;
    expect(sla?.firstReplyDue).toBe(new Date(Date.parse(String(receivedEvent?.data['receivedAt'])) + 3_600_000).toISOString());

    // The audit trail: who decided what, its hash chain verified.
    const trail = await unwrap(auditor.GET('/complaints/{id}/trail', { params: { path: { id } } }));
    expect(trail.entries.map((entry) => [entry.revision, entry.actor.id])).toEqual([
      [0, 'agent-e2e'], [1, 'supervisor-e2e'], [2, 'supervisor-e2e'], [3, 'agent-e2e'], [4, 'agent-e2e'], [5, 'agent-e2e'],
    ]);
    expect(trail.verification.ok).toBe(true);

    // The read models, read at least as far as the last command (minPosition: read your own writes).
    const minPosition = calledBack.position;
    const page = await unwrap(agent.GET('/complaints', { params: { query: { minPosition, status: 'closed', cause: 'quantity-metering', limit: 50 } } }));
    expect(page.items.find((item) => item.id === id)).toMatchObject({ customerId, department: 'station-ops', assignee: 'zhang.wei', revision: 5, closedAt: expect.any(String) });
    const customer = await unwrap(analyst.GET('/customers/{id}', { params: { path: { id: customerId }, query: { minPosition } } }));
    expect(customer).toMatchObject({ id: customerId, name: '王先生', complaints: { total: 1, open: 0 } });
    const customers = await unwrap(analyst.GET('/customers', { params: { query: { minPosition, sort: '-score' } } }));
    expect(customers.items.map((item) => item.id)).toContain(customerId);
    const stats = await unwrap(analyst.GET('/stats/complaints', { params: { query: { minPosition, by: 'cause', interval: 'month' } } }));
    expect(stats.rows.filter((row) => row.value === 'quantity-metering').reduce((sum, row) => sum + row.resolved, 0)).toBeGreaterThanOrEqual(1);
    const compliance = await unwrap(analyst.GET('/sla/compliance', { params: { query: { minPosition, by: 'clock' } } }));
    expect(compliance.rows.find((row) => row.value === 'first-reply')?.met).toBeGreaterThanOrEqual(1);
    const breaches = await unwrap(analyst.GET('/sla/breaches', { params: { query: { minPosition } } }));
    expect(breaches.items.filter((breach) => breach.complaintId === id)).toEqual([]);
    const decisions = await unwrap(auditor.GET('/audit/decisions', { params: { query: { minPosition, actor: 'supervisor-e2e' } } }));
    expect(decisions.items.filter((decision) => decision.complaintId === id).map((decision) => decision.type).sort()).toEqual(['ComplaintAssigned', 'ComplaintValidated']);
  });

  it('keeps a complaint whose customer refused the solution open until it is escalated', async () => {
    const supervisor = as('supervisor');
    const agent = as('agent');
    const { id } = await receive();
    await unwrap(supervisor.POST('/complaints/{id}/validate', { params: { path: { id } }, body: { reason: 'ok' } }));
    await unwrap(supervisor.POST('/complaints/{id}/assign', { params: { path: { id } }, body: { department: 'station-ops', assignee: 'li' } }));
    await unwrap(supervisor.POST('/complaints/{id}/resolve', { params: { path: { id } }, body: { resolutionClass: 'short-term', remedy: 'voucher', customerAccepted: false } }));

    const refused = await agent.POST('/complaints/{id}/callback', { params: { path: { id } }, body: { outcome: 'satisfied', satisfaction: 4 } });
    expect(refused.response.status).toBe(409);
    expect(refused.error).toMatchObject({ code: 'resolution-refused-not-escalated', currentStatus: 'resolved' });
    // The same refusal as an exception, for code that prefers them.
    const thrown = await unwrap(agent.POST('/complaints/{id}/callback', { params: { path: { id } }, body: { outcome: 'satisfied', satisfaction: 4 } })).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(ComplaintDeskError);
    expect([(thrown as ComplaintDeskError).status, (thrown as ComplaintDeskError).code]).toEqual([409, 'resolution-refused-not-escalated']);

    await unwrap(supervisor.POST('/complaints/{id}/escalate', { params: { path: { id } }, body: { to: 'regional-manager', reason: 'customer refused the voucher' } }));
    await unwrap(agent.POST('/complaints/{id}/callback', { params: { path: { id } }, body: { outcome: 'unsatisfied', satisfaction: 2 } }));
    expect(await unwrap(supervisor.GET('/complaints/{id}', { params: { path: { id } } }))).toMatchObject({ status: 'follow-up-required', escalation: { level: 1, to: 'regional-manager' } });
    await unwrap(supervisor.POST('/complaints/{id}/reopen', { params: { path: { id } }, body: { reason: 'customer still unhappy' } }));
    expect(await unwrap(supervisor.GET('/complaints/{id}', { params: { path: { id } } }))).toMatchObject({ status: 'assigned', reopenCount: 1 });
  });

  it('records a rejection and reopens it when the customer disputes it', async () => {
    const supervisor = as('supervisor');
    const { id } = await receive();
    await unwrap(supervisor.POST('/complaints/{id}/reject', { params: { path: { id } }, body: { reason: 'pump calibrated that morning' } }));
    expect(await unwrap(supervisor.GET('/complaints/{id}', { params: { path: { id } } }))).toMatchObject({ status: 'rejected', rejection: { reason: 'pump calibrated that morning' } });
    await unwrap(supervisor.POST('/complaints/{id}/reopen', { params: { path: { id } }, body: { reason: 'receipt disagrees' } }));
    expect((await unwrap(supervisor.GET('/complaints/{id}', { params: { path: { id } } }))).status).toBe('received');
  });

  it('records the correlation and causation ids sent by the caller', async () => {
    const { id } = await unwrap(as('agent').POST('/complaints', {
      params: { header: commandHeaders({ correlationId: 'call-2026-0001', causationId: 'ivr-menu-3' }) },
      body: newComplaint,
    }));
    const { events } = await unwrap(as('supervisor').GET('/complaints/{id}/events', { params: { path: { id } } }));
    expect(events[0]?.metadata).toMatchObject({ correlationId: 'call-2026-0001', causationId: 'ivr-menu-3' });
  });

  it('serves the taxonomy with Chinese and English labels without a token', async () => {
    const taxonomy = await unwrap(as(null).GET('/taxonomy'));
    expect(taxonomy.cause).toContainEqual({ code: 'quantity-metering', labels: { 'zh-CN': '油品数量/计量', en: 'Quantity / metering' } });
    expect(Object.keys(taxonomy)).toEqual(['cause', 'behaviour', 'purpose', 'channel', 'severity', 'resolutionClass', 'remedy', 'customerSegment', 'callbackOutcome', 'attachmentKind']);
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
    const health = await as(null).GET('/health');
    expect(health.response.status).toBe(200);
    expect(health.data).toMatchObject({ status: 'ok', eventStore: { headPosition: expect.any(Number) } });
  });
});
