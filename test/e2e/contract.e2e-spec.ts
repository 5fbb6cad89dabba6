import { DEFAULT_SLA_POLICY, ROLES, type Role } from '@app/domain';
import { PROBLEM_CODES } from '../../apps/api/src/http/problem';
import { MATRIX } from './support/routes';
import { ContractChecker, openApiPathOf, operationsOf } from './support/openapi-contract';
import { openSse } from './support/sse';
import { startReceiver } from './support/webhook-receiver';
import { DEFAULT_WEBHOOK_SETTINGS } from '../../apps/api/src/webhooks/webhook-settings';
import { QUIET_HTTP, TOKENS, newComplaint, newWorkOrder, useApp, type RunningApp, type TestResponse } from './support/test-app';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is JSON under test */

/** The OpenAPI page and its assets: public by design, and not part of the API. */
const isDocs = (route: string) => / \/docs/.test(route);
const servedRoutes = (app: RunningApp) => [...new Set(app.routes.filter((route) => !route.startsWith('HEAD ') && !route.startsWith('OPTIONS ') && !isDocs(route)))].sort();
const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

describe('the API contract: the OpenAPI document at /docs-json', () => {
  // A policy of seconds (first reply within 1 s), so that SLA breaches exist to be read.
  // Webhooks may reach a receiver of the test on 127.0.0.1, and retry at once.
  const app = useApp(undefined, {
    slaPolicy: { ...DEFAULT_SLA_POLICY, version: 'contract-test', firstReply: 'PT1S', answer: 'PT1H', callback: 'PT1H', bySeverity: {} },
    webhooks: { ...DEFAULT_WEBHOOK_SETTINGS, allowHosts: ['127.0.0.1'], pollMs: 50, retry: { baseDelayMs: 20, maxDelayMs: 50, retryWindowMs: 60_000 } },
  });
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
        // A command takes JSON; an upload takes multipart/form-data, its parts described as properties (the file as a binary string).
        const requestBody = operation.requestBody?.content?.['application/json'] ?? operation.requestBody?.content?.['multipart/form-data'];
        if (route.startsWith('POST ') && !requestBody?.schema) lacking.push(`${route}: no request body schema`);
        const multipart = operation.requestBody?.content?.['multipart/form-data']?.schema;
        if (multipart && !Object.values(multipart.properties ?? {}).some((part: any) => part.format === 'binary')) lacking.push(`${route}: a multipart body without a file part`);
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

    // The lists answered ?department=unassigned with an empty page while the SLA views listed what is not yet assigned; both do now, and say so.
    it('says on every filter of a list or SLA view by department, assignee, station or engineer that `unassigned` finds what has none yet', () => {
      const filters: Record<string, string[]> = {
        'GET /complaints': ['department', 'assignee'], 'GET /sla/breaches': ['department', 'assignee'], 'GET /sla/at-risk': ['department', 'assignee'],
        'GET /work-orders': ['station', 'engineer'], 'GET /work-orders/board': ['station', 'engineer'], 'GET /surveys': ['department', 'station', 'engineer'],
      };
      const documented = operationsOf(document).filter(({ route }) => route in filters).flatMap(({ route, operation }) =>
        (operation.parameters as Array<{ name: string; description?: string }>).filter((parameter) => filters[route]!.includes(parameter.name))
          .map((parameter) => [route, parameter.name, (parameter.description ?? '').includes('`unassigned`')]));
      const sorted = (rows: unknown[][]) => rows.map((row) => JSON.stringify(row)).sort();
      expect(sorted(documented)).toEqual(sorted(Object.entries(filters).flatMap(([route, names]) => names.map((name) => [route, name, true]))));
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

    it('through the complaint workspace: contact details at intake, notes and replies, a contact change, a correction, and their refusals', async () => {
      const created = await call(RECEIVE, '/complaints', {
        role: 'agent', body: { ...newComplaint, customerId: 'cust-workspace', phone: '138 0013 8000', email: 'wang.li@example.com', address: '北京市朝阳区建国路 99 号', preferredChannel: 'phone', preferredTime: '工作日 18:00 以后', language: 'zh-CN' },
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect((await call(command('notes'), `/complaints/${id}/notes`, { role: 'agent', body: { visibility: 'internal', text: '已调取加油机记录。' } })).status).toBe(200);
      expect((await call(command('notes'), `/complaints/${id}/notes`, { role: 'agent', body: { visibility: 'customer', text: '您好，我们正在核实。', channel: 'phone' } })).status).toBe(200);
      expect((await call(command('contact'), `/complaints/${id}/contact`, { role: 'agent', body: { phone: '13900139000', address: null, reason: 'New number.' } })).status).toBe(200);
      expect((await call(command('correct'), `/complaints/${id}/correct`, { body: { cause: 'price', behaviour: null, reason: 'Misfiled.' } })).status).toBe(200);
      const complaint = (await call('GET /complaints/:id', `/complaints/${id}`, { role: 'agent' })).body;
      expect(complaint).toMatchObject({ cause: 'price', behaviour: null, corrections: 1, contact: { phone: '13900139000', address: null } });
      expect(complaint.notes).toHaveLength(2);
      expect((await call(command('tags'), `/complaints/${id}/tags`, { role: 'agent', body: { add: ['metering', '油品'], reason: 'Metering case.' } })).status).toBe(200);
      const original = (await call(RECEIVE, '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-workspace' } })).body.id as string;
      const linked = await call(command('related'), `/complaints/${id}/related`, { role: 'agent', body: { complaintId: original, relation: 'duplicate-of', reason: 'Same fill-up.' } });
      expect(linked.status).toBe(200);
      const tagged = (await call('GET /complaints/:id', `/complaints/${id}`, { role: 'agent' })).body;
      expect(tagged).toMatchObject({ tags: ['metering', '油品'], related: [{ complaintId: original, relation: 'duplicate-of' }] });
      const list = await call('GET /complaints', `/complaints?tag=${encodeURIComponent('油品')}&minPosition=${linked.body.position}`, { role: 'agent' });
      expect(list.body.items).toEqual([expect.objectContaining({ id, tags: ['metering', '油品'], duplicateOf: original })]);
      const originalView = (await call('GET /complaints/:id', `/complaints/${original}`, { role: 'agent' })).body;
      expect(originalView.duplicates).toEqual([{ complaintId: id, at: expect.any(String), by: expect.objectContaining({ role: 'agent' }) }]);
      const duplicates = await call('GET /complaints', `/complaints?duplicateOf=${original}&minPosition=${linked.body.position}`, { role: 'agent' });
      expect(duplicates.body.items).toEqual([expect.objectContaining({ id, duplicateOf: original })]);
      for (const [status, code, verb, body] of [
        [409, 'nothing-changed', 'tags', { add: ['METERING'] }],
        [400, 'invalid-tag', 'tags', { add: ['two words'] }],
        [409, 'already-duplicate', 'related', { complaintId: (await call(RECEIVE, '/complaints', { role: 'agent', body: newComplaint })).body.id, relation: 'duplicate-of', reason: 'r' }],
        [400, 'relation-to-itself', 'related', { complaintId: id, relation: 'related', reason: 'r' }],
        [409, 'nothing-changed', 'correct', { cause: 'price', reason: 'again' }],
        [400, 'nothing-to-change', 'contact', { reason: 'nothing' }],
        [400, 'invalid-phone', 'contact', { phone: '123', reason: 'typo' }],
        [400, 'channel-not-for-internal-note', 'notes', { visibility: 'internal', text: 'x', channel: 'phone' }],
      ] as const) {
        const refused = await call(command(verb), `/complaints/${id}/${verb}`, { body });
        expect([verb, refused.status, refused.body.code]).toEqual([verb, status, code]);
      }
      // The original of a duplicate: not marked a duplicate of its duplicate, nor of another complaint.
      const back = await call(command('related'), `/complaints/${original}/related`, { body: { complaintId: id, relation: 'duplicate-of', reason: 'r' } });
      expect([back.status, back.body.code]).toEqual([409, 'duplicate-of-a-duplicate']);
      const other = (await call(RECEIVE, '/complaints', { role: 'agent', body: newComplaint })).body.id as string;
      const onto = await call(command('related'), `/complaints/${original}/related`, { body: { complaintId: other, relation: 'duplicate-of', reason: 'r' } });
      expect([onto.status, onto.body.code]).toEqual([409, 'has-duplicates']);
      const unlinked = await call(command('unrelate'), `/complaints/${id}/unrelate`, { role: 'agent', body: { complaintId: original, reason: 'Another fill-up after all.' } });
      expect(unlinked.status).toBe(200);
      expect((await call('GET /complaints/:id', `/complaints/${id}`, { role: 'agent' })).body).toMatchObject({ related: [] });
      for (const [status, code, verb, body] of [
        [409, 'not-linked', 'unrelate', { complaintId: original, reason: 'again' }],
        [400, 'mixed-script-tag', 'tags', { add: ['v\u0430lve'] }],
      ] as const) {
        const refused = await call(command(verb), `/complaints/${id}/${verb}`, { body });
        expect([verb, refused.status, refused.body.code]).toEqual([verb, status, code]);
      }
    }, 60_000);

    it('through attachments: an upload (multipart), the list, the download (bytes), and their refusals', async () => {
      const created = await call(RECEIVE, '/complaints', { role: 'agent', body: newComplaint });
      const id = created.body.id as string;
      const send = async (bytes: Buffer, type: string, kind = 'receipt') => {
        const form = new FormData();
        form.append('file', new Blob([bytes], { type }), '加油小票.jpg');
        form.append('kind', kind);
        form.append('description', '加油小票');
        const response = await fetch(`${app().baseUrl}/complaints/${id}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${TOKENS.agent}` } });
        return contract.check('POST /complaints/:id/attachments', { status: response.status, headers: response.headers, body: await response.json() as any });
      };
      const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 7)]);
      const added = await send(jpeg, 'image/jpeg');
      expect(added.status).toBe(201);
      expect((await call('GET /complaints/:id/attachments', `/complaints/${id}/attachments`, { role: 'analyst' })).body.items).toHaveLength(1);
      const file = await call('GET /complaints/:id/attachments/:sha256', added.body.attachment.href, { role: 'agent' });
      expect([file.status, file.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
      expect((await call('GET /complaints/:id', `/complaints/${id}`, { role: 'agent' })).body.attachments).toHaveLength(1);
      for (const [status, code, answer] of [
        [409, 'attachment-already-added', await send(jpeg, 'image/jpeg')],
        [415, 'attachment-type-not-allowed', await send(Buffer.from('<svg onload="alert(1)"/>'), 'image/svg+xml')],
        [415, 'attachment-type-mismatch', await send(Buffer.from('%PDF-1.7\n%%EOF\n'), 'image/jpeg')],
        [400, 'validation-failed', await send(Buffer.from('%PDF-1.7\n%%EOF\n'), 'application/pdf', 'selfie')],
        [415, 'unsupported-media-type', await call('POST /complaints/:id/attachments', `/complaints/${id}/attachments`, { role: 'agent', body: { kind: 'receipt' } })],
        [404, 'attachment-not-found', await call('GET /complaints/:id/attachments/:sha256', `/complaints/${id}/attachments/${'0'.repeat(64)}`, { role: 'agent' })],
        [400, 'validation-failed', await call('GET /complaints/:id/attachments/:sha256', `/complaints/${id}/attachments/not-a-hash`, { role: 'agent' })],
      ] as const) {
        expect([code, answer.status, answer.body.code]).toEqual([code, status, code]);
      }
    }, 60_000);

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
        // The apology with an Idempotency-Key: its event records the request's digest, which the events' schema describes.
        const keyed = verb === 'apologise' ? { headers: { 'Idempotency-Key': `contract-apology-${id}` } } : {};
        const answer = await call(command(verb), `/complaints/${id}/${verb}`, { role, body, ...keyed });
        expect([verb, answer.status]).toEqual([verb, 200]);
        position = answer.body.position;
        // The complaint in every status it passes through: each adds its own fields.
        statuses.push((await call('GET /complaints/:id', `/complaints/${id}`, { role: 'agent' })).body.status);
      }
      expect(statuses).toEqual(['received', 'validated', 'assigned', 'assigned', 'assigned', 'resolved', 'closed', 'assigned']);
      expect((await call('GET /complaints/:id', `/complaints/${id}`)).body.status).toBe('assigned');
      // Nine decisions, and the first-reply breach when the apology came after the policy's one second (a loaded machine).
      const events = (await call('GET /complaints/:id/events', `/complaints/${id}/events`)).body.events as Array<{ type: string }>;
      const eventsCsv = await call('GET /complaints/:id/events', `/complaints/${id}/events?format=csv`);
      expect([eventsCsv.status, eventsCsv.headers.get('content-type')]).toEqual([200, 'text/csv; charset=utf-8']);
      // A route that answers one document refuses CSV alone, as documented (csv-lists.e2e-spec.ts has the rule).
      expect((await call('GET /complaints/:id', `/complaints/${id}`, { headers: { accept: 'text/csv' } })).status).toBe(406);
      expect(events.filter((event) => event.type !== 'SlaBreached')).toHaveLength(9);
      const apology = (events as Array<{ type: string; metadata: { requestDigest?: string } }>).find((event) => event.type === 'ComplaintApologised');
      expect(apology?.metadata.requestDigest).toMatch(/^(sha256|key):/);
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
        // Department × month, as the dashboard's heat map reads it: each row with its period.
        ['GET /sla/compliance', `/sla/compliance?by=department&interval=month&${after}`, 'analyst'],
        // The dispatch board's escalated complaints, and the complaints behind a number of the statistics.
        ['GET /complaints', `/complaints?escalated=true&${after}`, 'supervisor'],
        ['GET /complaints', `/complaints?channel=phone&segment=private-car&purpose=criticism&${after}`, 'analyst'],
        ['GET /stats/complaints', `/stats/complaints?by=department&interval=quarter&${after}`, 'analyst'],
        ['GET /stats/loyalty', `/stats/loyalty?${after}`, 'analyst'],
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
      expect(stats.body.periods.reduce((sum: number, period: { received: number }) => sum + period.received, 0)).toBe(stats.body.totals.received);
      const loyalty = await call('GET /stats/loyalty', `/stats/loyalty?${after}`, { role: 'analyst' });
      expect(loyalty.body.customers).toBeGreaterThan(0);
      const page = await call('GET /complaints', `/complaints?limit=1&${after}`, { role: 'analyst' });
      expect((await call('GET /complaints', `/complaints?limit=1&cursor=${page.body.nextCursor}`, { role: 'analyst' })).body.items).toHaveLength(1);
    }, 60_000);

    it('through the audit, access and analytics routes, and the public ones', async () => {
      const issued = await call('POST /access/tokens', '/access/tokens', { role: 'admin', body: { principalId: 'li.na', role: 'agent', departments: ['station-ops'], reason: 'New hire.', expiresInDays: 365 } });
      expect(issued.status).toBe(201);
      expect((await call('POST /access/tokens/:tokenId/revoke', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'Left.' } })).status).toBe(200);
      expect((await call('POST /access/tokens/:tokenId/revoke', `/access/tokens/${issued.body.tokenId}/revoke`, { role: 'admin', body: { reason: 'Again.' } })).status).toBe(409);
      expect((await call('GET /audit/access', '/audit/access', { role: 'auditor' })).body.entries.length).toBeGreaterThanOrEqual(2);
      const accessCsv = await call('GET /audit/access', '/audit/access?format=csv', { role: 'auditor' });
      expect(accessCsv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(accessCsv.headers.get('x-chain-verdict')).toMatch(/^intact; events=\d+; head=[0-9a-f]{64}$/);
      expect(accessCsv.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-access-\d{4}-\d{2}-\d{2}-chain-intact-\d+\.csv"$/);
      expect((await call('GET /audit/verify', '/audit/verify?stream=access-control', { role: 'auditor' })).body).toMatchObject({ ok: true, stream: 'access-control' });
      expect((await call('GET /audit/verify', '/audit/verify', { role: 'auditor' })).body).toMatchObject({ ok: true });

      // A moment that has passed (2030-01-01, still to come, is refused: as-of-in-future).
      const until = new Date().toISOString();
      const started = await call('POST /analytics/as-of', '/analytics/as-of', { role: 'analyst', body: { until, name: 'contract' } });
      expect(started.status).toBe(202);
      let job: TestResponse | undefined;
      for (let attempt = 0; attempt < 100; attempt += 1) {
        job = await call('GET /analytics/as-of/:name', '/analytics/as-of/contract', { role: 'analyst' });
        if (job.body.status !== 'queued' && job.body.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(job!.body.status).toBe('done');
      expect((await call('POST /analytics/as-of', '/analytics/as-of', { role: 'analyst', body: { until, name: 'contract' } })).status).toBe(409);
      expect((await call('GET /analytics/as-of', '/analytics/as-of', { role: 'analyst' })).body.generations.length).toBeGreaterThan(0);
      expect((await call('GET /analytics/as-of', '/analytics/as-of?format=csv', { role: 'analyst' })).headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect((await call('GET /sla/compliance', '/sla/compliance?asOf=contract', { role: 'analyst' })).status).toBe(200);
      expect((await call('DELETE /analytics/as-of/:name', '/analytics/as-of/contract', { role: 'admin' })).status).toBe(204);

      expect((await call('GET /session', '/session', { role: 'agent' })).body).toMatchObject({ role: 'agent', routes: expect.arrayContaining(['POST /complaints']) });
      for (const route of ['GET /taxonomy', 'GET /health', 'GET /health/live', 'GET /health/ready']) {
        expect([route, (await call(route, route.split(' ')[1]!, { role: null })).status]).toEqual([route, 200]);
      }
      // The change feed: a long poll (JSON), and a stream whose every event is a FeedEventDto.
      const page = await call('GET /feed', '/feed?format=json&limit=20', { role: 'auditor' });
      expect(page.body.events.length).toBeGreaterThan(0);
      // From the end of the log: nothing comes within the second it waits (a position past the end would be a 400).
      const head = (await app().request('GET', '/health')).body.eventStore.headPosition as number;
      expect((await call('GET /feed', `/feed?format=json&streamType=complaint&type=ComplaintReceived&wait=1&after=${head}`, { role: 'agent' })).body.events).toEqual([]);
      const stream = await openSse(app().baseUrl, '/feed?streamType=access,complaint', { token: TOKENS.auditor });
      try {
        await stream.waitFor((message) => message.event === 'caught-up');
        contract.check('GET /feed', { status: stream.status, headers: new Headers(stream.response.headers as Record<string, string>), body: stream.raw });
        const events = stream.events().filter((event) => event.id !== undefined && event.event !== 'reconnect');
        expect(events.length).toBeGreaterThan(0);
        for (const event of events) {
          expect(contract.validates({ $ref: '#/components/schemas/FeedEventDto' }, event.data)).toBeUndefined();
          expect([event.id, event.event]).toEqual([String(event.data.position), event.data.type]);
        }
      } finally {
        stream.close();
      }

      const metrics = await call('GET /metrics', '/metrics', { role: 'admin' });
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    }, 60_000);

    it('through a repair\'s whole life: the service network, products, work orders from the report to the survey, and their refusals', async () => {
      // The service network: a centre, a branch and a station, engineers at the station (one of them leaves).
      const network = (route: string, path: string, body: Record<string, unknown>, status = 200) => call(route, path, { role: 'admin', body }).then((answer) => {
        expect([path, answer.status]).toEqual([path, status]);
        return answer;
      });
      await network('POST /service-network/units', '/service-network/units', { code: 'ct-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' }, 201);
      await network('POST /service-network/units', '/service-network/units', { code: 'ct-branch', kind: 'branch', name: { 'zh-CN': '大连分公司', en: 'Dalian branch' }, parent: 'ct-centre', regions: ['210200'], reason: 'branch' }, 201);
      const station = await network('POST /service-network/units', '/service-network/units', {
        code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'ct-centre', regions: ['210600'], reason: 'station for Dandong',
      }, 201);
      expect(station.headers.get('location')).toBe('/service-network');
      await network('POST /service-network/units/:code/rename', '/service-network/units/dandong-station/rename', { name: { 'zh-CN': '丹东振兴服务站', en: 'Dandong Zhenxing service station' }, reason: 'moved' });
      await network('POST /service-network/units/:code/regions', '/service-network/units/ct-branch/regions', { regions: ['210200', '210300'], reason: 'Anshan too' });
      for (const [engineerId, name, unit] of [['eng-wang', '王工', 'dandong-station'], ['eng-zhao', '赵工', 'dandong-station'], ['eng-liu', '刘工', 'ct-branch']] as const) {
        await network('POST /service-network/engineers', '/service-network/engineers', { engineerId, name, station: unit, skills: ['dispenser'], reason: 'hired' }, 201);
      }
      await network('POST /service-network/engineers/:engineerId/deactivate', '/service-network/engineers/eng-zhao/deactivate', { reason: 'contract ended' });
      await network('POST /service-network/agents', '/service-network/agents', { agentId: 'ct-agent', name: '客服一号', units: ['ct-centre', 'dandong-station'], reason: 'hotline' }, 201);
      await network('POST /service-network/agents/:agentId/deactivate', '/service-network/agents/ct-agent/deactivate', { reason: 'moved' });
      const directory = await call('GET /service-network', '/service-network', { role: 'engineer' });
      expect(directory.body.agents).toEqual([expect.objectContaining({ id: 'ct-agent', units: ['ct-centre', 'dandong-station'], active: false })]);
      expect(directory.body.engineers.map((engineer: { id: string; active: boolean }) => [engineer.id, engineer.active])).toEqual([['eng-wang', true], ['eng-zhao', false], ['eng-liu', true]]);

      // Products: one in warranty (installed a month ago, two years), one whose warranty ran out long ago.
      const covered = newWorkOrder.product.serialNumber;
      const expired = 'TQ2240-000100';
      const installedOn = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10);
      const product = (route: string, path: string, body: Record<string, unknown>, status = 200) => call(route, path, { role: 'supervisor', body }).then((answer) => {
        expect([path, answer.status]).toEqual([path, status]);
        return answer;
      });
      const registered = await product('POST /products', '/products', { serialNumber: covered, model: 'TQ-2240 税控加油机', customerId: 'cust-10086', installedOn, warrantyMonths: 24, covers: ['parts', 'labour', 'on-site'] }, 201);
      expect(registered.headers.get('location')).toBe(`/products/${covered}`);
      await product('POST /products', '/products', { serialNumber: expired.toLowerCase(), model: 'TQ-2240 税控加油机', customerId: 'cust-10086', installedOn: '2020-01-15', warrantyMonths: 12, covers: ['parts', 'labour'] }, 201);
      expect((await call('GET /products/:serial/warranty', `/products/${covered}/warranty`, { role: 'agent' })).body).toMatchObject({ verdict: 'in-warranty' });
      expect((await call('GET /products/:serial/warranty', `/products/${expired}/warranty?date=2026-03-02&cause=wear-and-tear`, { role: 'agent' })).body).toMatchObject({ verdict: 'expired' });
      expect((await call('GET /products/:serial/warranty', '/products/NEVER-SOLD-1/warranty', { role: 'agent' })).body).toMatchObject({ verdict: 'not-registered', product: null });

      // A repair out of warranty, from the report to the survey, then reopened, escalated and linked to a complaint.
      const REPORT = 'POST /work-orders';
      const order = (verb: string) => `POST /work-orders/:id/${verb}`;
      const report = async (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
        const answer = await call(REPORT, '/work-orders', { role: 'agent', body: { ...newWorkOrder, ...body }, headers });
        expect(answer.status).toBe(201);
        return answer;
      };
      const step = async (id: string, verb: string, role: Role, body: Record<string, unknown>) => {
        const answer = await call(order(verb), `/work-orders/${id}/${verb}`, { role, body });
        expect([verb, answer.status, answer.status === 200 ? undefined : answer.body]).toEqual([verb, 200, undefined]);
        // The order after each step: every status adds its own fields.
        return (await call('GET /work-orders/:id', `/work-orders/${id}`, { role: 'analyst' })).body;
      };
      const later = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
      const onExpired = { product: { model: 'TQ-2240 税控加油机', serialNumber: expired } };
      const first = await report(onExpired, { 'idempotency-key': 'contract-repair-1' });
      const id = first.body.id as string;
      expect(first.headers.get('location')).toBe(`/work-orders/${id}`);
      expect((await report(onExpired, { 'idempotency-key': 'contract-repair-1' })).headers.get('idempotent-replayed')).toBe('true');
      expect((await call('GET /work-orders/:id', `/work-orders/${id}`)).body.status).toBe('reported');
      const steps: Array<[string, Role, Record<string, unknown>]> = [
        ['contact', 'agent', { channel: 'phone', notes: '已联系客户，约定明早上门。' }],
        ['dispatch', 'agent', { stationCode: 'dandong-station', engineerId: 'eng-wang' }],
        ['schedule-visit', 'engineer', { scheduledFor: later(4) }],
        ['failed-visit', 'engineer', { reason: 'customer-absent', notes: '客户电话无人接听。', nextVisitAt: later(28) }],
        ['arrive', 'engineer', { notes: '到达现场' }],
        ['findings', 'engineer', { findings: 'Pulser encoder worn.', faultCause: 'wear-and-tear' }],
        ['quote', 'engineer', { lines: [{ kind: 'parts', description: 'Pulser encoder PUL-2240-07', amount: { currency: 'CNY', minorUnits: 48000 } }, { kind: 'labour', description: '2 h', amount: { currency: 'CNY', minorUnits: 20000 } }] }],
        ['confirm-quote', 'agent', { quoteNumber: 1, confirmedBy: '李先生', channel: 'phone' }],
        ['work', 'engineer', { description: 'Replaced the pulser encoder.', parts: [{ partNumber: 'PUL-2240-07', name: 'Pulser encoder', quantity: 1 }], chargeable: true }],
        ['fee', 'agent', { amount: { currency: 'CNY', minorUnits: 68000 }, method: 'mobile-payment', receiptNumber: 'R-2026-0001' }],
        ['test', 'engineer', { passed: true, notes: '20 L test measure within tolerance' }],
        ['sign-off', 'engineer', { signedBy: '李先生' }],
        ['hand-over', 'agent', { notes: 'Handed over to the station manager.' }],
        ['survey', 'agent', { surveyId: 'repair-2026', channel: 'phone', questions: [{ id: 'speed', text: '维修是否及时？' }, { id: 'quality', text: '维修质量是否满意？' }] }],
        ['survey-answer', 'agent', { answers: [{ questionId: 'speed', score: 5 }, { questionId: 'quality', score: 4, comment: '很好' }] }],
        ['reopen', 'agent', { reason: '同一喷枪又在 20 升处停机。' }],
        ['escalate', 'supervisor', { to: 'ct-centre', reason: 'The fault came back within a week.' }],
      ];
      const statuses: string[] = [];
      for (const [verb, role, body] of steps) statuses.push((await step(id, verb, role, body)).status);
      expect(statuses).toEqual([
        'reported', 'dispatched', 'visit-scheduled', 'visit-scheduled', 'on-site', 'on-site', 'on-site', 'on-site', 'on-site', 'on-site', 'on-site', 'signed-off', 'closed', 'closed', 'closed',
        'dispatched', 'dispatched',
      ]);
      const complaint = (await call(RECEIVE, '/complaints', { role: 'agent', body: newComplaint })).body.id as string;
      expect((await step(id, 'link-complaint', 'agent', { complaintId: complaint, reason: 'The customer also complained.' })).linkedComplaintIds).toEqual([complaint]);
      const events = (await call('GET /work-orders/:id/events', `/work-orders/${id}/events`, { role: 'auditor' })).body.events.map((event: { type: string }) => event.type);
      expect(events).toEqual(expect.arrayContaining(['WorkOrderReported', 'WorkOrderQuoteConfirmed', 'WorkOrderFeeCharged', 'WorkOrderSurveyAnswered', 'WorkOrderReopened', 'WorkOrderLinkedToComplaint']));

      // Free in warranty, diagnosed remotely after a redispatch; a quote refused; an order cancelled.
      const remote = (await report()).body.id as string;
      await step(remote, 'dispatch', 'supervisor', { stationCode: 'dandong-station', engineerId: 'eng-wang' });
      expect((await step(remote, 'redispatch', 'supervisor', { stationCode: 'ct-branch', engineerId: 'eng-liu', reason: 'Wang is needed in Fengcheng.' })).dispatch).toMatchObject({ engineerId: 'eng-liu' });
      expect((await step(remote, 'remote-diagnosis', 'engineer', { outcome: 'fixed-remotely', findings: 'Preset limit reset over the network.' })).status).toBe('fixed-remotely');
      await step(remote, 'sign-off', 'engineer', { signedBy: '李先生', remarks: '电话确认已恢复' });
      expect((await step(remote, 'hand-over', 'agent', {})).closure).toMatchObject({ outcome: 'fixed-remotely' });

      // A satisfaction survey after the hand-over: sent, read, answered; another one cancelled.
      const survey = (route: string, path: string, role: Role, body?: Record<string, unknown>, status = 200) => call(route, path, { role, ...(body ? { body } : {}) }).then((answer) => {
        expect([path, answer.status, answer.status === status ? undefined : answer.body]).toEqual([path, status, undefined]);
        return answer;
      });
      const sent = await survey('POST /surveys', '/surveys', 'agent', { subject: { kind: 'work-order', id: remote }, channel: 'phone', reason: '维修完成后回访' }, 201);
      const surveyId = sent.body.id as string;
      expect(sent.headers.get('location')).toBe(`/surveys/${surveyId}`);
      expect((await survey('GET /surveys/:id', `/surveys/${surveyId}`, 'analyst')).body).toMatchObject({ status: 'sent', subject: { kind: 'work-order', id: remote }, engineerId: 'eng-liu' });
      await survey('POST /surveys/:id/answer', `/surveys/${surveyId}/answer`, 'agent', { answers: [{ questionId: 'speed', score: 5 }, { questionId: 'overall', score: 4, comment: '很好' }], comment: '谢谢' });
      expect((await survey('GET /surveys/:id', `/surveys/${surveyId}`, 'auditor')).body).toMatchObject({ status: 'answered', answer: { answers: [{ questionId: 'speed', score: 5, comment: null }, { questionId: 'overall', score: 4, comment: '很好' }] } });
      const second = (await survey('POST /surveys', '/surveys', 'supervisor', { subject: { kind: 'work-order', id: remote }, channel: 'email', questions: [{ id: 'result' }, { id: 'parts', text: '配件是否齐全？' }] }, 201)).body.id as string;
      await survey('POST /surveys/:id/cancel', `/surveys/${second}/cancel`, 'supervisor', { reason: '重复发送' });
      expect((await survey('GET /surveys/:id', `/surveys/${second}`, 'engineer')).body).toMatchObject({ status: 'cancelled', cancellation: { reason: '重复发送' } });
      // The list and the statistics of surveys, as JSON and CSV; the complaint-side link of the remotely fixed order.
      const listed = await survey('GET /surveys', `/surveys?subjectId=${remote}&minPosition=${sent.body.position}`, 'agent');
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(surveyId);
      expect((await survey('GET /stats/surveys', '/stats/surveys?by=engineer&interval=year', 'analyst')).body.rows.length).toBeGreaterThan(0);
      for (const route of ['GET /surveys', 'GET /stats/surveys']) {
        const csv = await call(route, `${route.split(' ')[1]!}?format=csv`, { role: 'supervisor' });
        expect([route, csv.status, csv.headers.get('content-type')]).toEqual([route, 200, expect.stringMatching(/^text\/csv/)]);
      }
      const linkedFromComplaint = await survey('POST /complaints/:id/links', `/complaints/${complaint}/links`, 'agent', { workOrderId: remote, reason: '投诉的是这次维修' });
      expect(linkedFromComplaint.body).toMatchObject({ id: remote });
      expect((await survey('POST /surveys', '/surveys', 'agent', { subject: { kind: 'work-order', id: remote }, channel: 'phone' }, 201)).status).toBe(201);
      // A survey campaign for a segment: its counts, and its surveys listed and counted by its id.
      const campaign = await survey('POST /surveys/campaigns', '/surveys/campaigns', 'supervisor', { segments: { consumerKind: 'vehicle' }, channel: 'email', questions: [{ id: 'overall' }], reason: '季度满意度调查' }, 201);
      expect(campaign.body).toEqual({ id: campaign.body.campaignId, revision: 1, position: expect.any(Number), campaignId: expect.any(String), matched: expect.any(Number), sent: expect.any(Number), skipped: expect.any(Object) });
      expect(campaign.headers.get('location')).toBe(`/surveys?campaignId=${campaign.body.campaignId}`);
      await survey('GET /surveys', `/surveys?campaignId=${campaign.body.campaignId}&minPosition=${campaign.body.position}`, 'supervisor');
      await survey('GET /stats/surveys', `/stats/surveys?campaignId=${campaign.body.campaignId}&minPosition=${campaign.body.position}`, 'analyst');

      const refused = (await report(onExpired)).body.id as string;
      await step(refused, 'dispatch', 'agent', { stationCode: 'dandong-station', engineerId: 'eng-wang' });
      await step(refused, 'arrive', 'engineer', {});
      await step(refused, 'findings', 'engineer', { findings: 'Main board burnt.', faultCause: 'customer-damage', damageReason: 'Hosed down with water.' });
      await step(refused, 'quote', 'engineer', { lines: [{ kind: 'parts', description: 'Main board', amount: { currency: 'CNY', minorUnits: 350000 } }] });
      expect((await step(refused, 'refuse-quote', 'agent', { quoteNumber: 1, reason: '客户认为价格太高。', continueWithFreeWork: false })).closure).toMatchObject({ outcome: 'quote-refused' });

      const cancelled = (await report()).body.id as string;
      expect((await step(cancelled, 'cancel', 'supervisor', { reason: 'The customer replaced the dispenser himself.' })).status).toBe('cancelled');

      // The product registry after the repairs: the covered one changes hands, the expired one gets more months.
      await product('POST /products/:serial/change-owner', `/products/${covered}/change-owner`, { customerId: 'cust-10010', reason: 'Station sold.' });
      await product('POST /products/:serial/extend-warranty', `/products/${expired}/extend-warranty`, { months: 120, covers: ['parts', 'labour', 'on-site'], reason: 'goodwill' });
      expect((await call('GET /products/:serial', `/products/${covered.toLowerCase()}`, { role: 'agent' })).body).toMatchObject({ serialNumber: covered, customerId: 'cust-10010' });
      expect((await call('GET /products/:serial', `/products/${expired}`, { role: 'engineer' })).body.warranty).toMatchObject({ months: 132 });
      expect((await call('GET /taxonomy/after-sales', '/taxonomy/after-sales', { role: null })).body.faultCause.length).toBeGreaterThan(0);

      // The refusals a repair meets, as documented: the domain's 409 and 400, a stale If-Match, an order not found, a role and a scope refused.
      const scoped = (await call('POST /access/tokens', '/access/tokens', { role: 'admin', body: { principalId: 'sup.dandong', role: 'supervisor', departments: ['dandong-station'], reason: 'station lead' } })).body.token as string;
      const fresh = (await report()).body.id as string;
      // eng-zhao left above: a token issued for them acts on no work order.
      const departed = (await call('POST /access/tokens', '/access/tokens', { role: 'admin', body: { principalId: 'eng-zhao', role: 'engineer', departments: ['dandong-station'], reason: 'old token' } })).body.token as string;
      // ct-agent was deactivated above: a token issued for them acts on no complaint.
      const leftDesk = (await call('POST /access/tokens', '/access/tokens', { role: 'admin', body: { principalId: 'ct-agent', role: 'agent', reason: 'old token' } })).body.token as string;
      const refusals: Array<[number, string, string, string, Parameters<RunningApp['request']>[2]]> = [
        [409, 'not-dispatched', order('arrive'), `/work-orders/${fresh}/arrive`, { role: 'engineer', body: {} }],
        [409, 'not-reopenable', order('reopen'), `/work-orders/${refused}/reopen`, { role: 'agent', body: { reason: 'changed his mind' } }],
        [409, 'already-dispatched', order('dispatch'), `/work-orders/${id}/dispatch`, { role: 'agent', body: { stationCode: 'dandong-station', engineerId: 'eng-wang' } }],
        [409, 'product-already-registered', 'POST /products', '/products', { body: { serialNumber: covered, model: 'm', customerId: 'cust-1', installedOn, warrantyMonths: 12, covers: [] } }],
        [409, 'centre-already-registered', 'POST /service-network/units', '/service-network/units', { body: { code: 'ct-centre-2', kind: 'centre', name: { 'zh-CN': '中心', en: 'Centre' }, reason: 'two' } }],
        [409, 'engineer-inactive', 'POST /service-network/engineers/:engineerId/deactivate', '/service-network/engineers/eng-zhao/deactivate', { body: { reason: 'again' } }],
        [400, 'unknown-station', order('dispatch'), `/work-orders/${fresh}/dispatch`, { role: 'agent', body: { stationCode: 'nowhere-station', engineerId: 'eng-wang' } }],
        [400, 'engineer-inactive', order('dispatch'), `/work-orders/${fresh}/dispatch`, { role: 'agent', body: { stationCode: 'dandong-station', engineerId: 'eng-zhao' } }],
        [409, 'subject-not-ready', 'POST /surveys', '/surveys', { role: 'agent', body: { subject: { kind: 'work-order', id: fresh }, channel: 'phone' } }],
        [400, 'unknown-work-order', 'POST /surveys', '/surveys', { role: 'agent', body: { subject: { kind: 'work-order', id: '00000000-0000-4000-8000-000000000000' }, channel: 'phone' } }],
        [404, 'survey-not-found', 'GET /surveys/:id', '/surveys/0c8f3f0e-5a7d-4b1e-9c4e-2f1a3b4c5d6e', {}],
        [400, 'unknown-complaint', order('link-complaint'), `/work-orders/${fresh}/link-complaint`, { role: 'agent', body: { complaintId: '00000000-0000-4000-8000-000000000000' } }],
        [400, 'unknown-work-order', 'POST /complaints/:id/links', `/complaints/${complaint}/links`, { role: 'agent', body: { workOrderId: '00000000-0000-4000-8000-000000000000' } }],
        [409, 'already-linked', 'POST /complaints/:id/links', `/complaints/${complaint}/links`, { role: 'agent', body: { workOrderId: remote } }],
        [409, 'survey-already-open', 'POST /surveys', '/surveys', { role: 'agent', body: { subject: { kind: 'work-order', id: remote }, channel: 'phone' } }],
        [400, 'coverage-narrowed', 'POST /products/:serial/extend-warranty', `/products/${expired}/extend-warranty`, { body: { months: 1, covers: ['parts'], reason: 'less' } }],
        [400, 'unknown-parent', 'POST /service-network/units', '/service-network/units', { body: { code: 'x-station', kind: 'station', name: { 'zh-CN': '站', en: 'S' }, parent: 'nowhere', regions: ['1'], reason: 'r' } }],
        [400, 'validation-failed', 'GET /products/:serial/warranty', `/products/${covered}/warranty?date=2026-02-30`, { role: 'agent' }],
        [412, 'revision-mismatch', order('contact'), `/work-orders/${fresh}/contact`, { role: 'agent', body: { channel: 'phone' }, headers: { 'if-match': '"7"' } }],
        [404, 'work-order-not-found', 'GET /work-orders/:id', '/work-orders/0c8f3f0e-5a7d-4b1e-9c4e-2f1a3b4c5d6e', {}],
        [404, 'work-order-not-found', order('escalate'), '/work-orders/not-an-order/escalate', { body: { to: 'x', reason: 'y' } }],
        [404, 'product-not-found', 'GET /products/:serial', '/products/NEVER-SOLD-1', { role: 'agent' }],
        [404, 'product-not-found', 'POST /products/:serial/change-owner', '/products/NEVER-SOLD-1/change-owner', { body: { customerId: 'cust-2', reason: 'x' } }],
        [404, 'service-unit-not-found', 'POST /service-network/units/:code/rename', '/service-network/units/nowhere/rename', { body: { name: { 'zh-CN': '站', en: 'S' }, reason: 'r' } }],
        [404, 'engineer-not-found', 'POST /service-network/engineers/:engineerId/deactivate', '/service-network/engineers/eng-nobody/deactivate', { body: { reason: 'r' } }],
        [403, 'forbidden', 'POST /service-network/units/:code/regions', '/service-network/units/dandong-station/regions', { token: scoped, body: { regions: ['210600', '210700'], reason: 'more' } }],
        [403, 'forbidden', order('arrive'), `/work-orders/${fresh}/arrive`, { role: 'analyst', body: {} }],
        [403, 'engineer-deactivated', order('contact'), `/work-orders/${fresh}/contact`, { token: departed, body: { channel: 'phone' } }],
        [403, 'agent-deactivated', RECEIVE, '/complaints', { token: leftDesk, body: newComplaint }],
        [403, 'agent-deactivated', order('contact'), `/work-orders/${fresh}/contact`, { token: leftDesk, body: { channel: 'phone' } }],
        [403, 'agent-deactivated', REPORT, '/work-orders', { token: leftDesk, body: newWorkOrder }],
        [422, 'idempotency-key-reused', REPORT, '/work-orders', { role: 'agent', body: { ...newWorkOrder, faultDescription: 'other' }, headers: { 'idempotency-key': 'contract-repair-1' } }],
      ];
      const wrong: string[] = [];
      for (const [status, code, route, path, options] of refusals) {
        const [method] = openApiPathOf(route);
        const answer = await app().request(method.toUpperCase(), path, options);
        if (answer.status !== status || answer.body?.code !== code) wrong.push(`${route} ${path}: ${answer.status} ${answer.body?.code}, not ${status} ${code}`);
        wrong.push(...contract.problems(route, answer));
      }
      // Every complaint, work-order and customer-file command an agent may send documents that 403 (12 complaint ones: intake, notes, relate, links ...; the order's report, contact ...; the file's open, visits, contacts ...).
      const desk = Object.entries(contract.document['paths'] as Record<string, Record<string, { responses: Record<string, { description: string }> }>>)
        .filter(([path, item]) => (path.startsWith('/complaints') || path.startsWith('/work-orders') || path.startsWith('/customers')) && item['post']?.responses['403']?.description.includes('allowed: agent'))
        .map(([path, item]) => [path, item['post']!.responses['403']!.description.includes('`agent-deactivated`')]);
      expect(desk.filter(([path]) => String(path).startsWith('/complaints')).length).toBeGreaterThanOrEqual(12);
      expect(desk.filter(([path]) => String(path).startsWith('/work-orders')).length).toBeGreaterThanOrEqual(10);
      expect(desk.filter(([path]) => String(path).startsWith('/customers')).length).toBeGreaterThanOrEqual(16);
      expect(desk.filter(([, documented]) => !documented)).toEqual([]);
      expect(wrong).toEqual([]);
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
        [404, 'GET /audit/decisions', '/audit/decisions?asOf=never-built', { role: 'auditor' }],
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

    it('through a customer file\'s whole life: opened, every section edited, visits, figures and an alert, merged and erased, the lists, the view, and the refusals', async () => {
      const CUSTOMERS = 'POST /customers';
      const edit = (verb: string) => `POST /customers/:id/${verb}`;
      let position = 0;
      const run = async (route: string, path: string, options: Parameters<RunningApp['request']>[2], status = 200) => {
        const answer = await call(route, path, options);
        expect([path, answer.status, answer.status === status ? undefined : answer.body]).toEqual([path, status, undefined]);
        if (typeof answer.body?.position === 'number') position = Math.max(position, answer.body.position);
        return answer;
      };
      const step = (id: string, verb: string, body: Record<string, unknown>, role: Role = 'agent') => run(edit(verb), `/customers/${id}/${verb}`, { role, body });
      const month = (ago: number) => {
        const now = new Date();
        return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - ago, 1)).toISOString().slice(0, 7);
      };
      const fleet = { category: 'fixed', reason: 'Signed a supply agreement for the fleet.', name: '顺达物流有限公司', customerType: 'organisation', address: '北京市朝阳区建国路 88 号' };

      // A key customer: opened, every section, contacts, a visit, an evaluation, four months of figures whose last one drops.
      const opened = await run(CUSTOMERS, '/customers', {
        role: 'supervisor', body: { ...fleet, customerId: 'cust-ct-fleet', contacts: [{ name: '王立', role: '车队长', phone: '138 0013 8000' }], segments: { consumerKind: 'vehicle', driverType: 'fleet' } },
      }, 201);
      expect(opened.headers.get('location')).toBe('/customers/cust-ct-fleet/file');
      const id = 'cust-ct-fleet';
      await step(id, 'basics', { reason: 'Moved to a new depot.', address: '北京市海淀区中关村大街 1 号', creditRating: 'b' });
      await step(id, 'consumption-profile', { reason: 'Interview.', monthlyVolume: { amount: 30000, unit: 'litre' }, refuellingCycleDays: 7, meteringRequirements: '每车单独打印小票' });
      await step(id, 'contract', { reason: 'Signed.', signed: true, signedOn: '2026-01-05', validFrom: '2026-01-01', validUntil: '2026-12-31', amendedOn: '2026-01-05' });
      await step(id, 'facilities', { reason: 'Site visit.', storageTanks: 2, storageCapacity: { amount: 40, unit: 'tonne' }, tankerVehicles: 1, description: '两个 20 吨地下储油罐' });
      await step(id, 'other-channels', { reason: 'Interview.', channels: [{ supplier: '中石化朝阳站', products: '0 号柴油', share: 0.3 }] });
      await step(id, 'importance', { reason: 'Largest fleet in the district.', key: true, level: 'a' });
      await step(id, 'segments', { reason: 'Pays by card.', locality: 'local', settlement: 'ic-card' });
      await step(id, 'contacts', { reason: 'New fleet manager.', name: '张三', email: 'zhang.san@example.com' });
      await step(id, 'contacts/change', { contactId: 'contact-2', reason: 'Mobile number given.', phone: '139 0013 9000' });
      await step(id, 'contacts/remove', { contactId: 'contact-1', reason: 'Left the company.' });
      await step(id, 'visits', { visitedAt: '2026-03-02T10:00:00+08:00', channel: 'in-person', contactId: 'contact-2', summary: '了解下季度用油计划', nextStep: '报送夜间服务方案', nextStepDue: '2026-03-16' });
      await step(id, 'evaluations', { rating: 4, comment: '排队时间长' });
      for (const [ago, amount] of [[3, 10000], [2, 11000], [1, 12000], [0, 4000]] as const) await step(id, 'consumption', { period: month(ago), volume: { amount, unit: 'litre' } });
      await step(id, 'consumption', { period: month(0), volume: { amount: 4500, unit: 'litre' }, reason: 'The station\'s statement was corrected.' });
      await step('cust-ct-fleet', 'reclassify', { category: 'floating', reason: 'The contract ended.' });
      await step('cust-ct-fleet', 'notification-opt-out', { channel: 'sms', optedOut: true, reason: 'Asked for no text messages.' });
      const active = await run('GET /customers/:id/file', `/customers/${id}/file`, { role: 'analyst' });
      expect(active.body).toMatchObject({ status: 'active', category: 'floating', notificationOptOut: ['sms'], alertedPeriods: [month(0)], contract: { amendments: [expect.objectContaining({ amendedOn: '2026-01-05' })] } });
      expect(active.headers.get('etag')).toBe(`"${active.body.revision}"`);

      // A second file of the same customer, opened at a complaint's intake, merged into the first; a third one erased.
      const complaint = await run(RECEIVE, '/complaints', { role: 'agent', body: { ...newComplaint, customerId: 'cust-ct-dup', customerName: '顺达物流' } }, 201);
      position = Math.max(position, complaint.body.position);
      await run(edit('merge'), '/customers/cust-ct-dup/merge', { role: 'supervisor', body: { survivorId: id, reason: 'Same company: opened at intake under the driver\'s phone number.' } });
      expect((await run('GET /customers/:id/file', '/customers/cust-ct-dup/file', { role: 'agent' })).body).toMatchObject({ status: 'merged', survivorId: id });
      await run(CUSTOMERS, '/customers', { role: 'agent', body: { ...fleet, customerId: 'cust-ct-erased', category: 'potential' } }, 201);
      await run(edit('erase'), '/customers/cust-ct-erased/erase', { role: 'admin', body: { ground: 'consent-withdrawn', reason: 'Written request received at the station.', requestReference: 'PIPL-2026-007' } });
      expect((await run('GET /customers/:id/file', '/customers/cust-ct-erased/file', { role: 'auditor' })).body).toMatchObject({ status: 'erased', ground: 'consent-withdrawn' });
      const events = await run('GET /customers/:id/events', `/customers/${id}/events`, { role: 'auditor' });
      expect(events.body.events.map((event: { type: string }) => event.type)).toEqual(expect.arrayContaining(['CustomerFileOpened', 'CustomerFileConsumptionDropDetected', 'CustomerFileAbsorbed']));
      await run('GET /customers/:id/events', '/customers/cust-ct-dup/events', { role: 'agent' });
      const trail = await run('GET /customers/:id/trail', `/customers/${id}/trail`, { role: 'auditor' });
      expect(trail.body).toMatchObject({ verification: { ok: true }, absorbed: [{ customerId: 'cust-ct-dup', verification: { ok: true } }] });
      expect((await run('GET /customers/:id/trail', '/customers/cust-ct-erased/trail', { role: 'admin' })).body.entries.at(-1)).toMatchObject({ type: 'CustomerFilePersonalDataErased' });

      // The lists, as JSON and CSV, the importance × loyalty table, the customer view with its file (and one with a file and no complaint).
      const after = `minPosition=${position}`;
      const files = await run('GET /customers/files', `/customers/files?importance=key&${after}`, { role: 'agent' });
      expect(files.body.items.map((item: { id: string }) => item.id)).toContain(id);
      await run('GET /customers/files', `/customers/files?status=merged&segment.settlement=ic-card&dueVisitDays=30&${after}`, { role: 'agent' });
      const alerts = await run('GET /customers/alerts', `/customers/alerts?customerId=${id}&${after}`, { role: 'engineer' });
      expect(alerts.body.items).toEqual([expect.objectContaining({ customerId: id, period: month(0) })]);
      expect((await run('GET /customers/importance-loyalty', `/customers/importance-loyalty?${after}`, { role: 'analyst' })).body.totals.keyCustomers).toBeGreaterThan(0);
      for (const [route, path] of [['GET /customers/files', '/customers/files'], ['GET /customers/alerts', '/customers/alerts'], ['GET /customers/importance-loyalty', '/customers/importance-loyalty']] as const) {
        const csv = await run(route, `${path}?format=csv&${after}`, { role: 'supervisor' });
        expect([route, csv.headers.get('content-type')]).toEqual([route, 'text/csv; charset=utf-8']);
      }
      const view = await run('GET /customers/:id', `/customers/${id}?${after}`, { role: 'analyst' });
      expect(view.body).toMatchObject({ id, score: null, file: { category: 'floating', absorbed: ['cust-ct-dup'] }, complaintList: [expect.objectContaining({ customerId: 'cust-ct-dup' })] });
      expect((await run('GET /customers/:id', `/customers/cust-ct-dup?${after}`, { role: 'analyst' })).body).toMatchObject({ complaints: { total: 1 }, file: { status: 'merged', survivorId: id } });
      expect((await run('GET /taxonomy/customer-files', '/taxonomy/customer-files', { role: null })).body.erasureGround.length).toBeGreaterThan(0);

      // The refusals, as documented.
      const scoped = (await run('POST /access/tokens', '/access/tokens', { role: 'admin', body: { principalId: 'agent.dalian', role: 'agent', departments: ['ct-branch'], reason: 'station desk' } }, 201)).body.token as string;
      const refusals: Array<[number, string, string, string, Parameters<RunningApp['request']>[2]]> = [
        [409, 'customer-file-already-exists', CUSTOMERS, '/customers', { role: 'agent', body: { ...fleet, customerId: id } }],
        [409, 'nothing-changed', edit('importance'), `/customers/${id}/importance`, { role: 'agent', body: { reason: 'Again.', key: true } }],
        [409, 'customer-file-merged', edit('basics'), '/customers/cust-ct-dup/basics', { role: 'agent', body: { reason: 'r', creditRating: 'a' } }],
        [409, 'customer-file-erased', edit('visits'), '/customers/cust-ct-erased/visits', { role: 'agent', body: { visitedAt: '2026-03-02', channel: 'phone', summary: 's' } }],
        [409, 'survivor-erased', edit('merge'), `/customers/${id}/merge`, { role: 'supervisor', body: { survivorId: 'cust-ct-erased', reason: 'r' } }],
        [400, 'invalid-phone', edit('contacts'), `/customers/${id}/contacts`, { role: 'agent', body: { reason: 'r', name: '李四', phone: '12345' } }],
        [400, 'unknown-contact', edit('contacts/remove'), `/customers/${id}/contacts/remove`, { role: 'agent', body: { contactId: 'contact-9', reason: 'r' } }],
        [400, 'merge-into-itself', edit('merge'), `/customers/${id}/merge`, { role: 'admin', body: { survivorId: id, reason: 'r' } }],
        [400, 'volume-unit-mismatch', edit('consumption'), `/customers/${id}/consumption`, { role: 'agent', body: { period: month(4), volume: { amount: 9, unit: 'tonne' } } }],
        [400, 'validation-failed', edit('evaluations'), `/customers/${id}/evaluations`, { role: 'agent', body: { rating: 9 } }],
        [412, 'revision-mismatch', edit('segments'), `/customers/${id}/segments`, { role: 'agent', body: { reason: 'r', usage: null }, headers: { 'if-match': '"1"' } }],
        [404, 'customer-file-not-found', 'GET /customers/:id/file', '/customers/nobody-here/file', { role: 'agent' }],
        [404, 'customer-file-not-found', edit('evaluations'), '/customers/nobody-here/evaluations', { role: 'agent', body: { rating: 3 } }],
        [404, 'customer-file-not-found', 'GET /customers/:id/events', `/customers/${id}/events`, { token: scoped }],
        [404, 'customer-not-found', 'GET /customers/:id', '/customers/nobody-here', { role: 'analyst' }],
        [404, 'customer-file-not-found', 'GET /customers/:id/trail', '/customers/nobody-here/trail', { role: 'auditor' }],
        [403, 'forbidden', edit('merge'), `/customers/${id}/merge`, { role: 'agent', body: { survivorId: 'cust-ct-erased', reason: 'r' } }],
        [403, 'forbidden', edit('erase'), `/customers/${id}/erase`, { role: 'supervisor', body: { ground: 'objection', reason: 'r' } }],
        [403, 'forbidden', 'GET /customers/files', '/customers/files', { token: scoped }],
        [403, 'forbidden', 'GET /customers/importance-loyalty', '/customers/importance-loyalty', { role: 'agent' }],
      ];
      const wrong: string[] = [];
      for (const [status, code, route, path, options] of refusals) {
        const [method] = openApiPathOf(route);
        const answer = await app().request(method.toUpperCase(), path, options);
        if (answer.status !== status || answer.body?.code !== code) wrong.push(`${route} ${path}: ${answer.status} ${answer.body?.code}, not ${status} ${code}`);
        if (code === 'customer-file-merged' && answer.body?.survivorId !== id) wrong.push(`${route} ${path}: survivorId ${answer.body?.survivorId}`);
        wrong.push(...contract.problems(route, answer));
      }
      expect(wrong).toEqual([]);
    }, 60_000);

    it('through webhooks: registered, listed, paused, resumed, a delivery log with a failed attempt, a redelivery, deleted, and their refusals', async () => {
      const receiver = await startReceiver();
      try {
        receiver.next(500);
        const admin = (route: string, path: string, body?: Record<string, unknown>, status = 200) => call(route, path, { role: 'admin', ...(body ? { body } : {}) }).then((answer) => {
          expect([path, answer.status]).toEqual([path, status]);
          return answer;
        });
        const registered = await admin('POST /webhooks', '/webhooks', {
          url: receiver.url, secret: 'whsec-contract-0123456789abcdef01234567', eventTypes: ['ComplaintReceived'], streamTypes: ['complaint'], description: 'CRM', reason: 'The CRM follows complaints.',
        }, 201);
        const id = registered.body.id as string;
        expect(registered.headers.get('location')).toBe(`/webhooks/${id}`);
        await app().request('POST', '/complaints', { role: 'agent', body: newComplaint });
        await receiver.waitFor((hooks) => hooks.length >= 2);
        let log = await admin('GET /webhooks/:webhookId/deliveries', `/webhooks/${id}/deliveries`);
        for (let tries = 0; tries < 100 && log.body.items[0]?.status !== 'delivered'; tries += 1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          log = await admin('GET /webhooks/:webhookId/deliveries', `/webhooks/${id}/deliveries`);
        }
        expect(log.body.items[0]).toMatchObject({ status: 'delivered', attempts: 2 });
        await admin('GET /webhooks/:webhookId/deliveries', `/webhooks/${id}/deliveries?status=dead&limit=10`);
        expect((await admin('GET /webhooks/:webhookId/deliveries', `/webhooks/${id}/deliveries?format=csv`)).headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect((await admin('GET /webhooks', '/webhooks?format=csv')).headers.get('content-type')).toBe('text/csv; charset=utf-8');
        await admin('POST /webhooks/:webhookId/deliveries/:deliveryId/redeliver', `/webhooks/${id}/deliveries/${log.body.items[0].id}/redeliver`, { reason: 'The CRM lost it.' });
        await admin('POST /webhooks/:webhookId/pause', `/webhooks/${id}/pause`, { reason: 'CRM maintenance.' });
        await admin('POST /webhooks/:webhookId/pause', `/webhooks/${id}/pause`, { reason: 'Again.' }, 409);
        await admin('POST /webhooks/:webhookId/resume', `/webhooks/${id}/resume`, { reason: 'CRM back.' });
        const rotate = async (body: Record<string, unknown>, status: number, ifMatch?: string) => {
          const etag = ifMatch ?? (await admin('GET /webhooks/:webhookId', `/webhooks/${id}`)).headers.get('etag')!;
          const answer = await call('POST /webhooks/:webhookId/rotate-secret', `/webhooks/${id}/rotate-secret`, { role: 'admin', body, ...(etag === '' ? {} : { headers: { 'if-match': etag } }) });
          expect([`rotate ${JSON.stringify(body)}`, answer.status]).toEqual([`rotate ${JSON.stringify(body)}`, status]);
        };
        await rotate({ secret: 'whsec-contract-rotated-0123456789abcdef0', reason: 'No If-Match.' }, 428, '');
        await rotate({ secret: 'whsec-contract-rotated-0123456789abcdef0', reason: 'Stale If-Match.' }, 412, '"0"');
        await rotate({ secret: 'whsec-contract-rotated-0123456789abcdef0', graceHours: 2, reason: 'Yearly rotation.' }, 200);
        await rotate({ secret: 'whsec-contract-rotated-0123456789abcdef0', reason: 'Again.' }, 400);
        expect((await admin('GET /webhooks/:webhookId', `/webhooks/${id}`)).body).toMatchObject({ id, status: 'active', circuit: { state: 'closed' }, previousSecret: { signing: true } });
        expect((await admin('GET /webhooks', '/webhooks')).body.items.map((item: { id: string }) => item.id)).toContain(id);
        await admin('POST /webhooks', '/webhooks', { url: 'http://10.0.0.1/hook', secret: 'whsec-contract-0123456789abcdef01234567', reason: 'r' }, 400);
        await admin('GET /webhooks/:webhookId', '/webhooks/no-such-webhook', undefined, 404);
        await admin('POST /webhooks/:webhookId/deliveries/:deliveryId/redeliver', `/webhooks/${id}/deliveries/not-a-delivery/redeliver`, { reason: 'r' }, 404);
        await admin('POST /webhooks/:webhookId/delete', `/webhooks/${id}/delete`, { reason: 'The CRM is retired.' });
        await admin('POST /webhooks/:webhookId/resume', `/webhooks/${id}/resume`, { reason: 'r' }, 409);
      } finally {
        await receiver.close();
      }
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
      for (const status of [200, 201, 202, 204, 400, 401, 403, 404, 406, 409, 412, 413, 414, 415, 422, 428]) expect([status, statuses.has(status)]).toEqual([status, true]);
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

    it('documents the RateLimit-* headers every 429 of a counted route carries', async () => {
      const refused = (await Promise.all(Array.from({ length: 8 }, () => limited().request('GET', '/customers?limit=1', { role: 'analyst' })))).find((answer) => answer.status === 429);
      expect(refused).toBeDefined();
      const documented = Object.keys(contract.operation('GET /customers')!['responses']['429']['headers'] ?? {});
      expect(documented).toEqual(expect.arrayContaining(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']));
      for (const name of ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']) expect(refused!.headers.get(name)).toMatch(/^\d+$/);
    });
  });
});
