import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@app/domain';
import { MATRIX } from './support/routes';
import { newComplaint, newWorkOrder, TOKENS, useApp, type TestResponse } from './support/test-app';
import { addTwoStationsWithPeople, postOk } from './support/two-stations';
import { VALID_BODIES } from './support/valid-bodies';

/**
 * The path's resource answers first (docs/adr/0009, "The path's resource answers first"), checked for every
 * command route with a path parameter the app serves, not a hand-made list (hidden-path-first.e2e-spec.ts has
 * those, with bodies good and bad): a caller the route's roles allow sends a well-formed body in which every id
 * the body names is unknown, to (a) an id that names nothing and (b) a resource of a department its token may
 * not see. Both answers are the path resource's 404, the same problem code, and nothing is written. A route added
 * with a path parameter fails here until it is given a resource (below), a body (support/valid-bodies.ts) or a
 * reason why it takes none, and a hidden resource or the reason why there is none.
 */

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test

/** What a path names, by the route's first segments: the 404 it answers, an id that names nothing, and the resource a limited token may not see (or why none). */
interface PathResource { readonly notFound: string; readonly unknownId: () => string; readonly hidden: HiddenResource | { readonly noneBecause: string } }
type HiddenResource = 'complaint' | 'work-order' | 'customer-file' | 'survey';

const NO_DEPARTMENT = (what: string) => ({ noneBecause: `${what} belong to no department: a token limited to some is refused (403) before anything is read, and an unlimited one sees them all` });
const RESOURCES: Record<string, PathResource> = {
  '/complaints/:id': { notFound: 'complaint-not-found', unknownId: () => randomUUID(), hidden: 'complaint' },
  '/work-orders/:id': { notFound: 'work-order-not-found', unknownId: () => randomUUID(), hidden: 'work-order' },
  '/customers/:id': { notFound: 'customer-file-not-found', unknownId: () => `cust-missing-${randomUUID().slice(0, 8)}`, hidden: 'customer-file' },
  '/surveys/:id': { notFound: 'survey-not-found', unknownId: () => randomUUID(), hidden: 'survey' },
  '/access/tokens/:tokenId': { notFound: 'token-not-found', unknownId: () => randomUUID(), hidden: { noneBecause: 'tokens are the admins\' alone, whose tokens see every department' } },
  '/analytics/as-of/:name': { notFound: 'as-of-not-found', unknownId: () => 'never-built', hidden: { noneBecause: 'as-of generations are built by analysts and admins, roles no token limits to departments' } },
  '/service-network/units/:code': { notFound: 'service-unit-not-found', unknownId: () => 'no-such-unit', hidden: NO_DEPARTMENT('the service network\'s units') },
  '/service-network/engineers/:engineerId': { notFound: 'engineer-not-found', unknownId: () => 'no-such-engineer', hidden: NO_DEPARTMENT('the service network\'s engineers') },
  '/service-network/agents/:agentId': { notFound: 'agent-not-found', unknownId: () => 'no-such-agent', hidden: NO_DEPARTMENT('the service network\'s agents') },
  '/products/:serial': { notFound: 'product-not-found', unknownId: () => 'NO-SUCH-SERIAL', hidden: NO_DEPARTMENT('the registered products') },
  '/webhooks/:webhookId': { notFound: 'webhook-not-found', unknownId: () => 'wh-missing', hidden: { noneBecause: 'webhooks are the admins\' alone, whose tokens see every department' } },
  // A delivery is found by its own id (its webhook named beside it is unknown too here): the delivery's 404.
  '/webhooks/:webhookId/deliveries/:deliveryId': { notFound: 'webhook-delivery-not-found', unknownId: () => 'delivery-missing', hidden: { noneBecause: 'webhooks are the admins\' alone, whose tokens see every department' } },
};

/** The routes that take no body, each with the reason (a route without a body here or in VALID_BODIES fails the test). */
const NO_BODY: Record<string, string> = {
  'DELETE /analytics/as-of/:name': 'a DELETE: what it removes is the path',
};

/** Bodies whose ids could name something this app holds, made to name nothing; every other valid body names nothing known already. */
const UNKNOWN_IN_BODY: Record<string, Record<string, unknown>> = {
  'POST /complaints/:id/assign': { department: 'no-such-dept', assignee: 'nobody' },
  'POST /complaints/:id/escalate': { to: 'no-such-unit' },
  'POST /complaints/:id/related': { complaintId: randomUUID() },
  'POST /complaints/:id/unrelate': { complaintId: randomUUID() },
  'POST /complaints/:id/links': { workOrderId: randomUUID() },
  'POST /customers/:id/merge': { survivorId: 'cust-nowhere' },
  'POST /customers/:id/contacts/change': { contactId: 'contact-999999' },
  'POST /customers/:id/contacts/remove': { contactId: 'contact-999999' },
  'POST /work-orders/:id/dispatch': { stationCode: 'no-such-station', engineerId: 'nobody' },
  'POST /work-orders/:id/redispatch': { stationCode: 'no-such-station', engineerId: 'nobody' },
  'POST /work-orders/:id/escalate': { to: 'no-such-unit' },
  'POST /work-orders/:id/link-complaint': { complaintId: randomUUID() },
  'POST /products/:serial/change-owner': { customerId: 'cust-nowhere' },
};

/** Routes on a resource with departments that no role a token may be limited to may call: no hidden case, and why. */
const ONLY_UNLIMITED_CALLERS: Record<string, string> = {
  'POST /customers/:id/erase': 'an admin\'s alone, whose token sees every department',
};

/** Headers a well-formed request of the route carries (without them it is refused before any read, 428). */
const HEADERS: Record<string, Record<string, string>> = {
  'POST /webhooks/:webhookId/rotate-secret': { 'if-match': '"1"' },
};

/** An upload is multipart (its JSON fields are refused with a 415): a small JPEG of kind receipt. */
const MULTIPART = new Set(['POST /complaints/:id/attachments']);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);

/** The roles a token may be limited to departments for (SCOPABLE_ROLES), in the order one is chosen for a route. */
const SCOPABLE: Role[] = ['supervisor', 'agent', 'engineer'];

const COMMAND = /^(POST|PUT|PATCH|DELETE) /;
const commandRoutes = Object.keys(MATRIX).filter((route) => COMMAND.test(route) && route.includes('/:'));

describe('every command route with a path parameter answers for the path\'s resource first', () => {
  const app = useApp();
  const ok = postOk(app);
  /** A token of each scopable role limited to dept-a and station-a; the hidden resources are dept-b's and station-b's. */
  const limited: Partial<Record<Role, string>> = {};
  const hidden: Partial<Record<HiddenResource, string>> = {};

  beforeAll(async () => {
    await addTwoStationsWithPeople(ok);
    for (const [role, principalId] of [['supervisor', 'sup-a'], ['agent', 'agent-a'], ['engineer', 'eng-a']] as const) {
      limited[role] = (await ok('/access/tokens', { principalId, role, departments: ['dept-a', 'station-a'], reason: 'limited' })).body.token as string;
    }
    // dept-b's complaint; an order dispatched to station-b; a customer file of no department of the token's; a survey of dept-b's complaint.
    const complaintOfDeptB = async (): Promise<string> => {
      const id = (await ok('/complaints', newComplaint, { role: 'agent' })).body.id as string;
      await ok(`/complaints/${id}/validate`, { reason: 'checked' });
      await ok(`/complaints/${id}/assign`, { department: 'dept-b', assignee: 'agent-b' });
      return id;
    };
    hidden.complaint = await complaintOfDeptB();
    hidden['work-order'] = (await ok('/work-orders', newWorkOrder, { role: 'admin' })).body.id as string;
    await ok(`/work-orders/${hidden['work-order']}/dispatch`, { stationCode: 'station-b', engineerId: 'eng-b' });
    await ok('/customers', {
      customerId: 'cust-hidden', category: 'fixed', reason: 'Signed a supply agreement.', name: '顺达物流有限公司', customerType: 'organisation',
      address: '北京市朝阳区建国路 88 号', contacts: [{ name: '王立', role: '车队长', phone: '138 0013 8000' }], segments: { consumerKind: 'vehicle', driverType: 'fleet' },
    });
    hidden['customer-file'] = 'cust-hidden';
    const surveyed = await complaintOfDeptB();
    await ok(`/complaints/${surveyed}/apologise`, { statement: '非常抱歉给您带来不便', channel: 'phone' });
    await ok(`/complaints/${surveyed}/resolve`, { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true });
    await ok(`/complaints/${surveyed}/callback`, { outcome: 'satisfied', satisfaction: 5 });
    hidden.survey = (await ok('/surveys', { subject: { kind: 'complaint', id: surveyed }, channel: 'phone', reason: 'after the callback' })).body.id as string;
  });

  it('the hidden resources exist: the admin reads each, the limited supervisor gets its 404', async () => {
    const reads: Record<HiddenResource, string> = {
      complaint: `/complaints/${hidden.complaint}`, 'work-order': `/work-orders/${hidden['work-order']}`, 'customer-file': `/customers/${hidden['customer-file']}/file`, survey: `/surveys/${hidden.survey}`,
    };
    for (const [kind, path] of Object.entries(reads)) {
      const byAdmin = await app().request('GET', path, { role: 'admin' });
      const byLimited = await app().request('GET', path, { token: limited.supervisor! });
      expect({ kind, admin: byAdmin.status, limited: byLimited.status }).toEqual({ kind, admin: 200, limited: 404 });
    }
  });

  it('the role matrix and the OpenAPI document list the same routes', async () => {
    const document = (await app().request('GET', '/docs-json', { role: null })).body as Json;
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    expect({ onlyInTheDocument: documented.filter((route) => !(route in MATRIX)).sort(), onlyInTheMatrix: Object.keys(MATRIX).filter((route) => !documented.includes(route)).sort() })
      .toEqual({ onlyInTheDocument: [], onlyInTheMatrix: [] });
    expect(commandRoutes.length).toBeGreaterThan(60);
  });

  it('every such route has a resource, a body or a reason for none, and a hidden resource or a reason for none', () => {
    const undecided = commandRoutes.flatMap((route) => {
      const problems: string[] = [];
      if (resourceOf(route) === undefined) problems.push(`${route}: no entry of RESOURCES names what its path names`);
      if (!(route in VALID_BODIES) && !(route in NO_BODY)) problems.push(`${route}: no valid body (support/valid-bodies.ts) and no reason in NO_BODY`);
      const roles = MATRIX[route];
      const scopable = roles !== 'public' && roles !== undefined && SCOPABLE.some((role) => roles.includes(role));
      if (typeof resourceOf(route)?.resource.hidden === 'string' && !scopable && !(route in ONLY_UNLIMITED_CALLERS)) {
        problems.push(`${route}: no role a token may be limited to calls it, and no reason in ONLY_UNLIMITED_CALLERS`);
      }
      return problems;
    });
    expect(undecided).toEqual([]);
    // The lists name routes that exist, no more.
    expect([...Object.keys(NO_BODY), ...Object.keys(UNKNOWN_IN_BODY), ...Object.keys(ONLY_UNLIMITED_CALLERS), ...Object.keys(HEADERS), ...MULTIPART].filter((route) => !commandRoutes.includes(route))).toEqual([]);
  });

  /** The resource entry for the route: the longest prefix of its path in RESOURCES. */
  function resourceOf(route: string): { prefix: string; resource: PathResource } | undefined {
    const path = route.split(' ')[1]!;
    const prefix = Object.keys(RESOURCES).filter((candidate) => path === candidate || path.startsWith(`${candidate}/`)).sort((a, b) => b.length - a.length)[0];
    return prefix === undefined ? undefined : { prefix, resource: RESOURCES[prefix]! };
  }

  const headPosition = async (): Promise<number> => (await app().request('GET', '/health')).body.eventStore.headPosition as number;
  /** The stored files (a refused upload's is removed again; the folders of their hashes' first bytes may stay). */
  const blobs = (): string[] => {
    const dir = join(app().dataDir, 'blobs');
    return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).includes(`${dir}/tmp`)).map((entry) => entry.name) : [];
  };

  /** Sends the route's body (its ids unknown) to the path with this resource id; any other path parameter names nothing either. */
  async function send(route: string, prefix: string, id: string, token: string): Promise<TestResponse> {
    const [method, pattern] = route.split(' ') as [string, string];
    const own = prefix.replace(/:\w+$/, encodeURIComponent(id));
    const path = `${own}${pattern.slice(prefix.length)}`.replace(/:(\w+)/g, (_, name: string) => `unknown-${name}`);
    if (MULTIPART.has(route)) {
      const form = new FormData();
      for (const [key, value] of Object.entries(VALID_BODIES[route]!)) form.append(key, String(value));
      form.append('file', new Blob([JPEG], { type: 'image/jpeg' }), 'receipt.jpg');
      const response = await fetch(`${app().baseUrl}${path}`, { method, body: form, headers: { authorization: `Bearer ${token}`, ...HEADERS[route] } });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
    }
    const body = route in NO_BODY ? undefined : { ...VALID_BODIES[route], ...UNKNOWN_IN_BODY[route] };
    return app().request(method, path, { token, ...(body === undefined ? {} : { body }), ...(route in HEADERS ? { headers: HEADERS[route] } : {}) });
  }

  /** A problem answer with its id written `<id>` and its request's own id left out, to compare two answers. */
  const sameBody = (body: unknown, id: string): unknown => {
    const { requestId: _requestId, ...rest } = JSON.parse(JSON.stringify(body ?? {}).split(id).join('<id>')) as Record<string, unknown>;
    return rest;
  };

  it.each(commandRoutes)('%s: an unknown path id and a hidden one are the same 404, whatever the body names, and nothing is written', async (route) => {
    const found = resourceOf(route);
    if (found === undefined || (!(route in VALID_BODIES) && !(route in NO_BODY))) throw new Error(`${route} is undecided (see the test above)`);
    const { prefix, resource } = found;
    const roles = MATRIX[route];
    if (roles === 'public' || roles === undefined) throw new Error(`${route} is public: a command must name its roles`);
    const scopable = SCOPABLE.find((role) => roles.includes(role));
    const before = await headPosition();
    const blobsBefore = blobs();

    // (a) An id that names nothing: the token of the limited role when the resource has departments, else the admin's (a limited token is refused first).
    const caller = typeof resource.hidden === 'string' && scopable !== undefined ? limited[scopable]! : TOKENS[roles.includes('admin') ? 'admin' : roles[0]!];
    const unknownId = resource.unknownId();
    const missing = await send(route, prefix, unknownId, caller);
    expect({ route, case: 'unknown id', status: missing.status, code: missing.body?.code }).toEqual({ route, case: 'unknown id', status: 404, code: resource.notFound });

    // (b) A resource of a department the caller's token may not see.
    if (typeof resource.hidden === 'string' && scopable !== undefined) {
      const hiddenId = hidden[resource.hidden]!;
      const answer = await send(route, prefix, hiddenId, limited[scopable]!);
      expect({ route, case: `hidden ${resource.hidden} to a limited ${scopable}`, status: answer.status, code: answer.body?.code })
        .toEqual({ route, case: `hidden ${resource.hidden} to a limited ${scopable}`, status: 404, code: resource.notFound });
      // The whole answer, not only its code: a detail that told the hidden one apart would leak it.
      expect({ route, body: sameBody(answer.body, hiddenId) }).toEqual({ route, body: sameBody(missing.body, unknownId) });
    }
    expect({ route, head: await headPosition(), blobs: blobs() }).toEqual({ route, head: before, blobs: blobsBefore });
  });
});
