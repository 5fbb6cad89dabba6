import { DEFAULT_SLA_POLICY, ROLES, type Role } from '@app/domain';
import { PROBLEM_CODES } from '../../apps/api/src/http/problem';
import { MATRIX } from './support/routes';
import { ContractChecker, openApiPathOf, operationsOf } from './support/openapi-contract';
import { QUIET_HTTP, newComplaint, newWorkOrder, useApp, type RunningApp, type TestResponse } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is JSON under test */

/** The OpenAPI page and its assets: public by design, and not part of the API. */
const isDocs = (route: string) => / \/docs/.test(route);
const servedRoutes = (app: RunningApp) => [...new Set(app.routes.filter((route) => !route.startsWith('HEAD ') && !route.startsWith('OPTIONS ') && !isDocs(route)))].sort();
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

describe('the API contract: the OpenAPI document at /docs-json', () => {
  // A policy of seconds (first reply within 1 s), so that SLA breaches exist to be read.
  const app = useApp(undefined, { slaPolicy: { ...DEFAULT_SLA_POLICY, version: 'contract-test', firstReply: 'PT1S', answer: 'PT1H', callback: 'PT1H', bySeverity: {} } });
  let document: any;
  let contract: ContractChecker;

  beforeAll(async () => {
    const served = await app().request('GET', '/docs-json', { role: null });
    expect(served.status).toBe(200);
    document = served.body;
    contract = new ContractChecker(document);
  });

  describe('is complete', () => {
    it('is OpenAPI 3.1 with a server, and describes every route the app registers, and only those', () => {
      expect(document.openapi).toBe('3.1.0');
      expect(document.servers).toEqual([expect.objectContaining({ url: '/' })]);
      expect(operationsOf(document).map((operation) => operation.route).sort()).toEqual(servedRoutes(app()));
    });

    it('gives every route a success answer with a schema for each media type (or a 204), and at least one 4xx', () => {
      const lacking: string[] = [];
      for (const { route, operation } of operationsOf(document)) {
        const successes = Object.entries(operation.responses as Record<string, any>).filter(([status]) => /^2\d\d$/.test(status));
        if (successes.length === 0) lacking.push(`${route}: no 2xx answer`);
        for (const [status, response] of successes) {
          const content = Object.entries((response.content ?? {}) as Record<string, any>);
          if (status === '204') {
            if (content.length > 0) lacking.push(`${route} 204: a body`);
            continue;
          }
          if (content.length === 0) lacking.push(`${route} ${status}: no media type`);
          for (const [mediaType, media] of content) {
            if (!media.schema || (!media.schema.$ref && !media.schema.type && !media.schema.oneOf)) lacking.push(`${route} ${status} ${mediaType}: no schema`);
            else if (isJson(mediaType) && !media.schema.$ref && !media.schema.oneOf) lacking.push(`${route} ${status} ${mediaType}: an anonymous schema (name it: a DTO class)`);
          }
        }
        if (!Object.keys(operation.responses).some((status) => /^4\d\d$/.test(status))) lacking.push(`${route}: no 4xx answer`);
        if (route.startsWith('POST ') && !operation.requestBody?.content?.['application/json']?.schema) lacking.push(`${route}: no request body schema`);
      }
      expect(lacking).toEqual([]);
    });

    it('gives every JSON body, asked and answered, an example that its schema accepts', () => {
      const wrong: string[] = [];
      for (const { route, operation } of operationsOf(document)) {
        const bodies = [['request', operation.requestBody], ...Object.entries(operation.responses)] as Array<[string, any]>;
        for (const [status, body] of bodies) {
          for (const [mediaType, media] of Object.entries((body?.content ?? {}) as Record<string, any>)) {
            if (!isJson(mediaType)) continue;
            if (media.example === undefined) wrong.push(`${route} ${status} ${mediaType}: no example`);
            else {
              const reason = contract.validates(media.schema, media.example);
              if (reason) wrong.push(`${route} ${status} ${mediaType}: ${reason}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('answers every error as problem+json with the shared Problem schema, whose code is the enum of the codes the API emits', () => {
      expect(document.components.schemas.Problem.properties.code.enum).toEqual([...PROBLEM_CODES]);
      const wrong: string[] = [];
      for (const { route, operation } of operationsOf(document)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          if (Number(status) < 400) continue;
          const types = Object.keys(response.content ?? {});
          const schema = response.content?.['application/problem+json']?.schema;
          const shared = schema?.$ref === '#/components/schemas/Problem' || schema?.properties?.code?.$ref !== undefined || schema?.properties?.code?.enum?.length === PROBLEM_CODES.length;
          if (types.join() !== 'application/problem+json' || !shared) wrong.push(`${route} ${status}: ${types.join(', ') || 'no body'}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('says which routes need a token (an opaque bearer token) and which are public, as the role matrix does', () => {
      expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque' });
      expect(document.components.securitySchemes.bearer.description).toMatch(/opaque/);
      const wrong: string[] = [];
      for (const { route, operation } of operationsOf(document)) {
        const allowed = MATRIX[route];
        const statuses = Object.keys(operation.responses);
        if (allowed === 'public') {
          if (JSON.stringify(operation.security) !== '[]') wrong.push(`${route}: public, but security is ${JSON.stringify(operation.security)}`);
          continue;
        }
        if (JSON.stringify(operation.security) !== '[{"bearer":[]}]') wrong.push(`${route}: security is ${JSON.stringify(operation.security)}`);
        for (const status of ['401', '429']) if (!statuses.includes(status)) wrong.push(`${route}: no ${status}`);
        const everyRole = ROLES.every((role) => allowed?.includes(role));
        if (!everyRole && !statuses.includes('403')) wrong.push(`${route}: no 403 for the roles it refuses`);
      }
      expect(wrong).toEqual([]);
    });

    it('gives every documented header a schema', () => {
      const wrong: string[] = [];
      for (const { route, operation } of operationsOf(document)) {
        for (const [status, response] of Object.entries(operation.responses as Record<string, any>)) {
          for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, any>)) if (!header.schema) wrong.push(`${route} ${status} ${name}`);
        }
        for (const parameter of operation.parameters ?? []) if (!parameter.schema) wrong.push(`${route} parameter ${parameter.name}`);
      }
      expect(wrong).toEqual([]);
    });
  });

  describe('holds for real answers', () => {
    /** Calls the route (in the matrix's notation) and checks the answer against the document. */
    const call = async (route: string, path: string, options: Parameters<RunningApp['request']>[2] = {}): Promise<TestResponse> => {
      const [method] = openApiPathOf(route);
      return contract.check(route, await app().request(method.toUpperCase(), path, options));
    };
    const RECEIVE = 'POST /complaints';
    const command = (verb: string) => `POST /complaints/:id/${verb}`;

    it('through a complaint\'s whole life, and an Idempotency-Key replayed and reused', async () => {
      const created = await call(RECEIVE, '/complaints', { role: 'agent', body: { ...newComplaint, onSiteRequired: true, occurredAt: '2026-01-05T08:00:00+08:00' }, headers: { 'idempotency-key': 'contract-1' } });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await call(RECEIVE, '/complaints', { role: 'agent', body: { ...newComplaint, onSiteRequired: true, occurredAt: '2026-01-05T08:00:00+08:00' }, headers: { 'idempotency-key': 'contract-1' } })).headers.get('idempotent-replayed')).toBe('true');
      expect((await call(RECEIVE, '/complaints', { role: 'agent', body: newComplaint, headers: { 'idempotency-key': 'contract-1' } })).status).toBe(422);

      const steps: Array<[string, Role, Record<string, unknown>]> = [
        ['apologise', 'agent', { statement: '非常抱歉给您带来不便。', channel: 'phone' }],
        ['validate', 'supervisor', { reason: 'Pump 3 meter log shows a 5 L shortfall.', evidence: 'meter-log.pdf' }],
        ['assign', 'supervisor', { department: 'station-ops', assignee: 'zhang.wei', reason: 'Metering goes to station operations.' }],
        ['visit', 'agent', { notes: 'Replaced the flow meter.' }],
        ['escalate', 'supervisor', { to: 'regional-manager', reason: 'Compensation above the station limit.' }],
        ['resolve', 'agent', { resolutionClass: 'immediate', remedy: 'refund', rootCause: 'meter drift', correctiveAction: 'recalibrate', customerAccepted: true }],
        ['callback', 'agent', { outcome: 'satisfied', satisfaction: 5, remarks: 'Thanked the station manager.' }],
        ['reopen', 'supervisor', { reason: 'The refund never arrived.' }],
      ];
      let position = 0;
      const statuses: string[] = [];
      for (const [verb, role, body] of steps) {
        const answer = await call(command(verb), `/complaints/${id}/${verb}`, { role, body });
        expect([verb, answer.status]).toEqual([verb, 200]);
        position = answer.body.position;
        // The complaint in every status it passes through: each adds its own fields.
        statuses.push((await call('GET /complaints/:id', `/complaints/${id}`, { role: 'agent' })).body.status);
      }
      expect(statuses).toEqual(['received', 'validated', 'assigned', 'assigned', 'assigned', 'resolved', 'closed', 'assigned']);
      expect((await call('GET /complaints/:id', `/complaints/${id}`)).body.status).toBe('assigned');
      // Nine decisions, and the first-reply breach when the apology came after the policy's one second (a loaded machine).
      const events = (await call('GET /complaints/:id/events', `/complaints/${id}/events`)).body.events as Array<{ type: string }>;
      expect(events.filter((event) => event.type !== 'SlaBreached')).toHaveLength(9);
      const entries = (await call('GET /complaints/:id/trail', `/complaints/${id}/trail`, { role: 'auditor' })).body.entries as unknown[];
      expect(entries).toHaveLength(events.length);

      // A second complaint: rejected and reopened; one resolved with the solution refused, its callback refused until escalated.
      const other = (await call(RECEIVE, '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-contract', severity: 'medium' } })).body.id as string;
      expect((await call(command('reject'), `/complaints/${other}/reject`, { body: { reason: 'Calibrated that morning.' } })).status).toBe(200);
      expect((await call('GET /complaints/:id', `/complaints/${other}`)).body.rejection).toBeDefined();
      expect((await call(command('reopen'), `/complaints/${other}/reopen`, { body: { reason: 'The customer disputes it.' } })).status).toBe(200);
      expect((await call(command('validate'), `/complaints/${other}/validate`, { body: { reason: 'On second look, yes.' } })).status).toBe(200);
      expect((await call(command('assign'), `/complaints/${other}/assign`, { body: { department: 'billing', assignee: 'li.na' } })).status).toBe(200);
      expect((await call(command('resolve'), `/complaints/${other}/resolve`, { role: 'agent', body: { resolutionClass: 'short-term', remedy: 'refund', customerAccepted: false } })).status).toBe(200);
      expect((await call(command('callback'), `/complaints/${other}/callback`, { role: 'agent', body: { outcome: 'satisfied', satisfaction: 4 } })).body.code).toBe('resolution-refused-not-escalated');
      expect((await call(command('escalate'), `/complaints/${other}/escalate`, { body: { to: 'regional-manager', level: 2, reason: 'Refused.' } })).status).toBe(200);
      const closed = await call(command('callback'), `/complaints/${other}/callback`, { role: 'agent', body: { outcome: 'unsatisfied', satisfaction: 2 } });
      expect(closed.status).toBe(200);
      expect((await call('GET /complaints/:id', `/complaints/${other}`)).body.status).toBe('follow-up-required');
      position = Math.max(position, closed.body.position);

      // The SLA monitor records the first-reply breach of a complaint nobody answers (1 s).
      const late = (await call(RECEIVE, '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-late' } })).body.id as string;
      let breaches: TestResponse | undefined;
      for (let attempt = 0; attempt < 60; attempt += 1) {
        breaches = await call('GET /sla/breaches', '/sla/breaches?open=true', { role: 'analyst' });
        if (breaches.body.items.some((item: { complaintId: string }) => item.complaintId === late)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(breaches!.body.items.some((item: { complaintId: string }) => item.complaintId === late)).toBe(true);
      const breachEvents = await call('GET /complaints/:id/events', `/complaints/${late}/events`);
      expect(breachEvents.body.events.map((event: { type: string }) => event.type)).toContain('SlaBreached');
      const lastPosition = Math.max(position, ...breachEvents.body.events.map((event: { position: number }) => event.position));

      // Every read route, as JSON (and as CSV where it has one), once the read models hold all of the above.
      const after = `minPosition=${lastPosition}`;
      const reads: Array<[string, string, Role]> = [
        ['GET /complaints', `/complaints?${after}&limit=2`, 'agent'],
        ['GET /sla/breaches', `/sla/breaches?${after}`, 'analyst'],
        ['GET /sla/at-risk', `/sla/at-risk?within=PT2H&${after}`, 'supervisor'],
        ['GET /sla/compliance', `/sla/compliance?by=clock&${after}`, 'analyst'],
        ['GET /stats/complaints', `/stats/complaints?by=department&interval=quarter&${after}`, 'analyst'],
        ['GET /customers', `/customers?sort=-score&${after}`, 'analyst'],
        ['GET /customers/:id', `/customers/cust-10086?${after}`, 'analyst'],
        ['GET /audit/decisions', `/audit/decisions?${after}`, 'auditor'],
        ['GET /access/tokens', '/access/tokens', 'admin'],
      ];
      for (const [route, path, role] of reads) {
        const answer = await call(route, path, { role });
        expect([route, answer.status]).toEqual([route, 200]);
        if (route !== 'GET /customers/:id') {
          const csv = await call(route, `${path}${path.includes('?') ? '&' : '?'}format=csv`, { role });
          expect([route, csv.status, csv.headers.get('content-type')]).toEqual([route, 200, 'text/csv; charset=utf-8']);
        }
      }
      const atRisk = await call('GET /sla/at-risk', `/sla/at-risk?within=PT2H&${after}`, { role: 'supervisor' });
      expect(atRisk.body.items.length).toBeGreaterThan(0);
      const stats = await call('GET /stats/complaints', `/stats/complaints?${after}`, { role: 'analyst' });
      expect(stats.body.totals).not.toBeNull();
      const page = await call('GET /complaints', `/complaints?limit=1&${after}`, { role: 'analyst' });
      expect((await call('GET /complaints', `/complaints?limit=1&cursor=${page.body.nextCursor}`, { role: 'analyst' })).body.items).toHaveLength(1);
    }, 60_000);

    it('through the audit, access and analytics routes, and the public ones', async () => {
      const issued = await call('POST /access/tokens', '/access/tokens', { role: 'admin', body: { principalId: 'li.na', role: 'agent', departments: ['station-ops'], reason: 'New hire.', expiresInDays: 365 } });
      expect(issued.status).toBe(201);
      expect((await call('POST /access/tokens/:tokenId/revoke', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'Left.' } })).status).toBe(200);
      expect((await call('POST /access/tokens/:tokenId/revoke', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'Again.' } })).status).toBe(409);
      expect((await call('GET /audit/access', '/audit/access', { role: 'auditor' })).body.entries.length).toBeGreaterThanOrEqual(2);
      expect((await call('GET /audit/verify', '/audit/verify?stream=access-control', { role: 'auditor' })).body).toMatchObject({ ok: true, stream: 'access-control' });
      expect((await call('GET /audit/verify', '/audit/verify', { role: 'auditor' })).body).toMatchObject({ ok: true });

      const started = await call('POST /analytics/as-of', '/analytics/as-of', { role: 'analyst', body: { until: '2030-01-01', name: 'contract' } });
      expect(started.status).toBe(202);
      let job: TestResponse | undefined;
      for (let attempt = 0; attempt < 100; attempt += 1) {
        job = await call('GET /analytics/as-of/:name', '/analytics/as-of/contract', { role: 'analyst' });
        if (job.body.status !== 'queued' && job.body.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(job!.body.status).toBe('done');
      expect((await call('POST /analytics/as-of', '/analytics/as-of', { role: 'analyst', body: { until: '2030-01-01', name: 'contract' } })).status).toBe(409);
      expect((await call('GET /analytics/as-of', '/analytics/as-of', { role: 'analyst' })).body.generations.length).toBeGreaterThan(0);
      expect((await call('GET /sla/compliance', '/sla/compliance?asOf=contract', { role: 'analyst' })).status).toBe(200);
      expect((await call('DELETE /analytics/as-of/:name', '/analytics/as-of/contract', { role: 'admin' })).status).toBe(204);

      for (const route of ['GET /taxonomy', 'GET /health', 'GET /health/live', 'GET /health/ready']) {
        expect([route, (await call(route, route.split(' ')[1]!, { role: null })).status]).toEqual([route, 200]);
      }
      const metrics = await call('GET /metrics', '/metrics', { role: 'admin' });
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    }, 60_000);

    it('when a request is refused: 400, 401, 403, 404, 406, 409, 412, 413, 414, 415, 422', async () => {
      const id = (await call(RECEIVE, '/complaints', { role: 'agent', body: newComplaint })).body.id as string;
      const refusals: Array<[number, string, string, Parameters<RunningApp['request']>[2]]> = [
        [400, RECEIVE, '/complaints', { body: { ...newComplaint, unknown: 1 } }],
        [400, RECEIVE, '/complaints', { rawBody: '{"customerId":', headers: { 'content-type': 'application/json' } }],
        [400, command('validate'), `/complaints/${id}/validate`, { body: { reason: 'x' }, headers: { 'if-match': 'yesterday' } }],
        [400, 'GET /complaints', '/complaints?limit=0', {}],
        [400, 'GET /complaints', '/complaints?cursor=bm90LWEtY3Vyc29y', {}],
        [400, 'GET /sla/breaches', '/sla/breaches?asOf=june', {}],
        [400, 'GET /complaints/:id', '/complaints/%zz', {}],
        [400, 'GET /analytics/as-of/:name', '/analytics/as-of/not%20a%20name', { role: 'analyst' }],
        [400, 'GET /audit/verify', '/audit/verify?stream=events', { role: 'auditor' }],
        [400, 'POST /access/tokens', '/access/tokens', { role: 'admin', body: { principalId: 'system:me', role: 'agent', reason: 'x' } }],
        [401, 'GET /complaints', '/complaints', { role: null }],
        [401, command('validate'), `/complaints/${id}/validate`, { token: 'not-a-token', body: { reason: 'x' } }],
        [403, command('validate'), `/complaints/${id}/validate`, { role: 'agent', body: { reason: 'x' } }],
        [403, 'GET /customers', '/customers', { role: 'agent' }],
        [403, 'GET /metrics', '/metrics', { role: 'analyst' }],
        [404, 'GET /complaints/:id', '/complaints/0c8f3f0e-5a7d-4b1e-9c4e-2f1a3b4c5d6e', {}],
        [404, 'GET /complaints/:id/events', '/complaints/not-a-uuid/events', {}],
        [404, command('resolve'), '/complaints/0c8f3f0e-5a7d-4b1e-9c4e-2f1a3b4c5d6e/resolve', { role: 'agent', body: { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true } }],
        [404, 'GET /customers/:id', '/customers/nobody', { role: 'analyst' }],
        [404, 'GET /complaints', '/complaints?asOf=never-built', {}],
        [404, 'GET /analytics/as-of/:name', '/analytics/as-of/never-built', { role: 'analyst' }],
        [404, 'POST /access/tokens/:tokenId/revoke', '/access/tokens/nothing/revoke', { role: 'admin', body: { reason: 'x' } }],
        [404, 'GET /audit/verify', '/audit/verify?stream=complaint-0c8f3f0e-5a7d-4b1e-9c4e-2f1a3b4c5d6e', { role: 'auditor' }],
        [406, 'GET /complaints', '/complaints', { headers: { accept: 'image/png' } }],
        [409, command('resolve'), `/complaints/${id}/resolve`, { role: 'agent', body: { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true } }],
        [412, command('validate'), `/complaints/${id}/validate`, { body: { reason: 'x' }, headers: { 'if-match': '"7"' } }],
        [413, RECEIVE, '/complaints', { role: 'agent', body: { ...newComplaint, description: 'x'.repeat(70_000) } }],
        [414, 'GET /complaints/:id', `/complaints/${'a'.repeat(120)}`, {}],
        [415, RECEIVE, '/complaints', { role: 'agent', rawBody: 'a complaint', headers: { 'content-type': 'text/plain' } }],
        [415, 'DELETE /analytics/as-of/:name', '/analytics/as-of/never-built', { role: 'admin', rawBody: 'x', headers: { 'content-type': 'text/plain' } }],
      ];
      const wrong: string[] = [];
      for (const [status, route, path, options] of refusals) {
        const [method] = openApiPathOf(route);
        const answer = await app().request(method.toUpperCase(), path, options);
        if (answer.status !== status) wrong.push(`${route} ${path}: ${answer.status}, not ${status}`);
        wrong.push(...contract.problems(route, answer));
      }
      expect(wrong).toEqual([]);
    }, 60_000);

    // These two read what the tests above checked (contract.seen): they run after them, in this order.
    it('through the after-sales read models: the work-order list and board, the engineer, station and fee statistics, as JSON and CSV', async () => {
      // A reported order, so that the list and the board have an item whose fields the schema checks.
      const reported = await app().request('POST', '/work-orders', { role: 'agent', body: newWorkOrder });
      expect(reported.status).toBe(201);
      const list = await call('GET /work-orders', '/work-orders?minPosition=' + String(reported.body.position), { role: 'agent' });
      expect(list.body.items.map((item: { id: string }) => item.id)).toContain(reported.body.id);
      expect((await call('GET /work-orders/board', '/work-orders/board', { role: 'agent' })).body.items.length).toBeGreaterThan(0);
      for (const route of ['GET /stats/engineers', 'GET /stats/stations', 'GET /stats/repair-fees']) {
        expect([route, (await call(route, `${route.split(' ')[1]!}?interval=year`, { role: 'analyst' })).status]).toEqual([route, 200]);
      }
      for (const route of ['GET /work-orders', 'GET /work-orders/board', 'GET /stats/stations']) {
        const csv = await call(route, `${route.split(' ')[1]!}?format=csv`, { role: 'supervisor' });
        expect([route, csv.status, csv.headers.get('content-type')]).toEqual([route, 200, expect.stringMatching(/^text\/csv/)]);
      }
      expect((await call('GET /stats/engineers', '/stats/engineers?interval=fortnight', { role: 'analyst' })).status).toBe(400);
    }, 60_000);

    it('answers every status the refusals above were meant to provoke', () => {
      const statuses = new Set([...contract.seen].map((seen) => Number(seen.split(' ').pop())));
      for (const status of [200, 201, 202, 204, 400, 401, 403, 404, 406, 409, 412, 413, 414, 415, 422]) expect([status, statuses.has(status)]).toEqual([status, true]);
    });

    it('has called every route of the document with success', () => {
      const succeeded = new Set([...contract.seen].filter((seen) => /\s2\d\d$/.test(seen)).map((seen) => seen.replace(/\s\d+$/, '')));
      expect(operationsOf(document).map((operation) => operation.route).filter((route) => !succeeded.has(route))).toEqual([]);
    });
  });

  describe('holds when the rate limit refuses (429)', () => {
    const limited = useApp(undefined, { http: { ...QUIET_HTTP, rateLimitPerSecond: 1 } });

    it('answers 429 problem+json with Retry-After, as documented', async () => {
      const answers = await Promise.all(Array.from({ length: 8 }, () => limited().request('GET', '/complaints', { role: 'analyst' })));
      const refused = answers.find((answer) => answer.status === 429);
      expect(refused).toBeDefined();
      expect(contract.problems('GET /complaints', refused!)).toEqual([]);
      expect(refused!.headers.get('retry-after')).toMatch(/^\d+$/);
    });
  });
});
