import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { MATRIX } from './support/routes';
import { ContractChecker } from './support/openapi-contract';
import { VALID_BODIES } from './support/valid-bodies';
import { newComplaint, newWorkOrder, removeDataDir, startApp, TOKENS, type RunningApp } from './support/test-app';

/**
 * Hostile input across every endpoint: whatever arrives, the answer is never a 5xx, every error
 * is problem+json with a status the route's OpenAPI document lists, and nothing is written. Each generated command request carries at least one
 * defect that makes it invalid (an unknown or poisoned key, a broken body, a wrong content type,
 * a bad id), so a write would be a bug, not luck.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1200);
/** A failure prints its seed; FUZZ_SEED replays it (FUZZ_RUNS runs longer hunts). */
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const INJECTIONS = [
  "' OR '1'='1", "1; DROP TABLE events; --", '{"$gt":""}', '{"$where":"sleep(1000)"}', '$ne', '../../../etc/passwd', '%00', '\u0000', 'null', 'undefined',
  '__proto__', 'constructor', 'prototype', '<script>alert(1)</script>', '${7*7}', '{{7*7}}', '😀'.repeat(50), 'é'.repeat(300), '\uFFFF\uFFFE', '\uD800',
];
const HOSTILE_STRINGS = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.nat({ max: 100_000 }).map((n) => 'x'.repeat(n)),
);
const HOSTILE_NUMBERS = fc.constantFrom('-1', '0', '1.5', '1e308', '-1e308', '18446744073709551616', '9007199254740993', 'NaN', 'Infinity', '0x10', '', ' ', '1,2', '+1');
const HOSTILE_DATES = fc.constantFrom('2026-13-45', 'yesterday', '0000-00-00', '2026-02-30T25:61:61Z', '9999999-01-01', '-2026-01-01', '2026-01-01T00:00:00+99:00');
const HOSTILE_CURSORS = fc.oneof(fc.constantFrom('!!!', 'eyJ4IjoxfQ', 'bnVsbA', 'W10', 'eyJfX3Byb3RvX18iOnt9fQ', 'a'.repeat(2000)), fc.base64String({ maxLength: 200 }).map((s) => s.replace(/=+$/, '')));
const QUERY_KEYS = ['limit', 'cursor', 'minPosition', 'asOf', 'status', 'cause', 'behaviour', 'department', 'assignee', 'customerId', 'duplicateOf', 'from', 'to', 'open', 'clock',
  'within', 'by', 'interval', 'tier', 'stage', 'sort', 'stream', 'actor', 'role', 'type', 'format', 'format', 'bom', 'department[$ne]',
  'category', 'importance', 'segment.consumerKind', 'segment.driverType', 'dueVisitDays', 'period', 'filter[$gt]', '__proto__', 'constructor[prototype][x]', 'unknown'];
/** The CSV exports are asked for often, with hostile Accept headers too. */
const FORMATS = fc.constantFrom('csv', 'json', 'CSV', 'xlsx', 'csv,json', '');
const ACCEPTS = fc.oneof(fc.constantFrom('text/csv', 'application/json', '*/*', 'text/html', 'text/csv;q=0', 'text/*;q=0.5, application/xml', ';;;', 'text/csv; charset=latin1', 'a/b/c',
  'text/csv;header=absent', 'text/csv;header=present;header=absent', 'text/csv;header=', 'text/csv;q=1.5', 'text/csv;q=0.5;q=1', '*/*;q=', 'text/csv;header="present', 'text/csv;"q=1"',
  // A nameless parameter, a no-break space (also as its UTF-8 bytes read as Latin-1), no media range, a q above 1 on any route.
  'text/csv;=x', 'text/csv\u00a0', 'text/csv\u00c2\u00a0, application/json;q=0.5', ',', '*/*;q=5'), fc.stringMatching(/^[\x20-\x7e]{0,200}$/));

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    HOSTILE_STRINGS, fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1e308, Number.MAX_SAFE_INTEGER + 2, -0), fc.boolean(), fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }), fc.dictionary(fc.constantFrom('a', '$gt', '__proto__', 'constructor', 'x'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** One field of a valid body changed into something of the wrong kind. */
const mutate = (body: Record<string, unknown>) => fc.record({ field: fc.constantFrom(...Object.keys(body), 'extra'), value: hostileValue })
  .map(({ field, value }) => ({ ...body, [field]: value }));
/** Keys no DTO has, some of them poisoned: their presence alone makes the request invalid. */
const ALIEN_KEYS = ['__proto__', 'constructor', 'prototype', '$where', '$set', 'isAdmin', 'toString', 'hasOwnProperty', "'; DROP TABLE events; --", 'x'.repeat(300)];

const deepNesting = fc.integer({ min: 100, max: 40_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const rawBodies = fc.oneof(
  fc.constantFrom('', '{', '{"a":', 'null', '[]', '"string"', '123', 'true', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}'),
  deepNesting,
  fc.nat({ max: 200_000 }).map((n) => JSON.stringify({ description: 'x'.repeat(n) })),
  fc.nat({ max: 50_000 }).map((n) => JSON.stringify({ items: Array.from({ length: n }, (_, i) => i) })),
);
const invalidUtf8 = fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.concat([Buffer.from('{"reason":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(bytes), Buffer.from('"}')]));

/** Percent-encodes the UTF-8 bytes of any string (a lone surrogate becomes U+FFFD, as a browser would send it). */
const encodeSegment = (text: string): string => [...Buffer.from(text, 'utf8')]
  .map((byte) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
/** Path segments sent as they are: invalid UTF-8, broken percent-encoding, traversal. */
const RAW_SEGMENTS = ['%ff%fe', '%', '%zz', '%c0%af', '..%2f..%2fetc%2fpasswd', '%00', '%e2%82'];

interface HostileRequest {
  readonly route: string;
  readonly id: string | null;
  readonly query: Record<string, string>;
  readonly body: string | Buffer | undefined;
  readonly contentType: string | undefined;
  readonly headers: Record<string, string>;
  readonly token: string;
}

describe(`fuzz: ${RUNS} hostile requests across every endpoint`, () => {
  let app: RunningApp;
  let complaintId: string;
  let tokenId: string;
  let contract: ContractChecker;

  beforeAll(async () => {
    app = await startApp();
    contract = new ContractChecker((await app.request('GET', '/docs-json', { role: null })).body);
    complaintId = (await app.request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id;
    tokenId = (await app.request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'fuzz-target', role: 'agent', reason: 'fuzz' } })).body.tokenId;
  });
  afterAll(async () => {
    await app.stop();
    removeDataDir(app.dataDir);
  });

  const request = (routes: string[]) => fc.constantFrom(...routes).chain((route) => {
    const method = route.split(' ')[0]!;
    const valid = VALID_BODIES[route] ?? {};
    const body: fc.Arbitrary<{ body: string | Buffer | undefined; contentType: string | undefined }> = method !== 'POST'
      ? fc.constant({ body: undefined, contentType: undefined })
      : fc.oneof(
        // A valid body with fields of the wrong kind, plus a key no DTO has.
        fc.tuple(mutate(valid), fc.constantFrom(...ALIEN_KEYS), hostileValue).map(([fields, key, value]) => ({ body: JSON.stringify({ ...fields, [key]: value }), contentType: 'application/json' })),
        rawBodies.map((raw) => ({ body: raw, contentType: 'application/json' })),
        invalidUtf8.map((bytes) => ({ body: bytes, contentType: 'application/json' })),
        fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1'), fc.constant(JSON.stringify(valid)))
          .map(([contentType, raw]) => ({ body: contentType.startsWith('application/json') ? `${raw.slice(0, -1)},"__proto__":{"x":1}}` : raw, contentType })),
      );
    return fc.record({
      route: fc.constant(route),
      id: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: HOSTILE_STRINGS.map(encodeSegment) }, { weight: 1, arbitrary: fc.constantFrom(...RAW_SEGMENTS) }),
      query: fc.dictionary(fc.constantFrom(...QUERY_KEYS), fc.oneof(HOSTILE_STRINGS, HOSTILE_NUMBERS, HOSTILE_DATES, HOSTILE_CURSORS, FORMATS), { maxKeys: 4 }),
      body,
      headers: fc.record({
        other: fc.dictionary(fc.constantFrom('if-match', 'idempotency-key', 'x-correlation-id', 'x-request-id'), fc.stringMatching(/^[\x21-\x7e]{0,300}$/), { maxKeys: 2 }),
        accept: fc.option(ACCEPTS, { nil: undefined }),
      }).map(({ other, accept }) => (accept === undefined ? other : { ...other, accept })),
      token: fc.constantFrom(TOKENS.admin, TOKENS.admin, TOKENS.supervisor, TOKENS.agent, TOKENS.analyst),
    }).map(({ body: b, ...rest }): HostileRequest => ({ ...rest, body: b.body, contentType: b.contentType }));
  });

  const send = async (input: HostileRequest) => {
    const [method, pattern] = input.route.split(' ') as [string, string];
    // A command whose body is valid must be made invalid another way: by its id.
    const id = input.id ?? (pattern.includes(':id') ? complaintId : null);
    const path = pattern
      .replace(':id', id ?? complaintId)
      .replace(':tokenId', input.id ?? tokenId)
      .replace(':name', input.id ?? 'never-built')
      .replace(':serial', input.id ?? 'TQ2240-000731')
      .replace(':code', input.id ?? 'dandong-station')
      .replace(':engineerId', input.id ?? 'eng-wang')
      .replace(':agentId', input.id ?? 'agent-fuzz');
    const query = Object.entries(input.query).map(([key, value]) => `${encodeSegment(key)}=${encodeSegment(value)}`).join('&');
    const headers: Record<string, string> = { authorization: `Bearer ${input.token}`, ...input.headers };
    if (input.contentType) headers['content-type'] = input.contentType;
    const response = await fetch(`${app.baseUrl}${path}${query ? `?${query}` : ''}`, { method, headers, body: input.body });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? '', text, headers: response.headers };
  };

  it('never answers 5xx, answers every error as problem+json, and writes nothing', async () => {
    const headBefore = (await app.request('GET', '/health')).body.eventStore.headPosition;
    const statuses = new Map<number, number>();
    const result = await fc.check(fc.asyncProperty(request(Object.keys(MATRIX)), async (input) => {
      const answer = await send(input);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status >= 500 && !(input.route === 'GET /health/ready' && answer.status === 503)) {
        throw new Error(`${answer.status} for ${input.route}: ${answer.text.slice(0, 300)}`);
      }
      if (answer.status >= 400 && !answer.type.startsWith('application/problem+json')) throw new Error(`${answer.status} without problem+json for ${input.route}: ${answer.type}`);
      // A refusal keeps the contract: its status is documented for the route, its body is a Problem with a listed code. (A
      // success is not checked here: a hostile id may send the request to another route than the one drawn.)
      if (answer.status >= 400) {
        const broken = contract.problems(input.route, { status: answer.status, headers: answer.headers, body: JSON.parse(answer.text) });
        if (broken.length > 0) throw new Error(broken.join('\n'));
      }
      // A CSV export is whole: its header row at least, every line ended.
      if (answer.type.startsWith('text/csv') && (answer.status !== 200 || !answer.text.endsWith('\r\n'))) throw new Error(`a broken CSV answer for ${input.route}: ${answer.status} ${answer.text.slice(-200)}`);
      if (input.route.startsWith('POST') && answer.status < 300) throw new Error(`a hostile command was accepted: ${input.route} → ${answer.status} ${answer.text.slice(0, 200)}`);
    }), { numRuns: RUNS, endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) });
    // On failure: the reason and a readable (cut) counterexample, with the seed to replay it.
    const failure = result.failed
      ? `${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)} — seed ${result.seed}, path ${result.counterexamplePath}, input ${JSON.stringify(result.counterexample).slice(0, 600)}`
      : null;
    expect(failure).toBeNull();
    const total = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    expect(total).toBe(RUNS);
    expect((await app.request('GET', '/health')).body.eventStore.headPosition).toBe(headBefore);
    expect((await app.request('GET', `/complaints/${complaintId}`)).body.revision).toBe(0);
    process.stdout.write(`fuzz: ${total} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}\n`);
  }, 300_000);

  it('never stores a hostile upload: multipart bodies with a defect each are refused (4xx problem+json), no event, no blob', async () => {
    const route = 'POST /complaints/:id/attachments';
    const headBefore = (await app.request('GET', '/health')).body.eventStore.headPosition;
    const KINDS = ['receipt', 'photo', 'sample-record', 'quality-dispute-form', 'metering-dispute-form', 'other'];
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
    const hostileText = HOSTILE_STRINGS.map((text) => text.slice(0, 3000));
    /** One part of a multipart body, its name and file name unescaped on purpose. */
    const part = (name: string, value: Buffer | string, file?: { name: string; type: string }) => Buffer.concat([
      Buffer.from(`--BOUNDARY\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file.name}"\r\nContent-Type: ${file.type}` : ''}\r\n\r\n`),
      Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\r\n'),
    ]);
    const validFile = part('file', jpeg, { name: 'receipt.jpg', type: 'image/jpeg' });
    const validKind = part('kind', 'receipt');
    // Each body has one defect at least: a kind that is none, a field no upload has, two files, content of no allowed type, a type it is not, or a broken envelope.
    const defect = fc.oneof(
      hostileText.filter((kind) => !KINDS.includes(kind)).map((kind) => [validFile, part('kind', kind)]),
      fc.tuple(fc.constantFrom(...ALIEN_KEYS, 'file2', ''), hostileText).map(([name, value]) => [validFile, validKind, part(name, value)]),
      fc.constant([validFile, part('file', jpeg, { name: 'second.jpg', type: 'image/jpeg' }), validKind]),
      fc.uint8Array({ maxLength: 2000 }).map((bytes) => [part('file', Buffer.concat([Buffer.from('<html>'), Buffer.from(bytes)]), { name: 'a.jpg', type: 'image/jpeg' }), validKind]),
      fc.uint8Array({ maxLength: 2000 }).map((bytes) => [part('file', Buffer.concat([Buffer.from('MZ'), Buffer.from([0]), Buffer.from(bytes)]), { name: 'x.exe', type: 'application/octet-stream' }), validKind]),
      fc.constantFrom('image/png', 'application/pdf', 'text/html', 'image/svg+xml').map((type) => [part('file', jpeg, { name: 'r.jpg', type }), validKind]),
      fc.constant([validKind]),
      fc.constant([part('file', Buffer.alloc(0), { name: 'empty.jpg', type: 'image/jpeg' }), validKind]),
      fc.constant([part('file', 'not a file part'), validKind]),
    );
    const envelope = fc.constantFrom('whole', 'no-end', 'cut', 'other-boundary');
    const bodies = fc.tuple(defect, envelope).map(([parts, shape]) => {
      const whole = Buffer.concat([...parts, Buffer.from('--BOUNDARY--\r\n')]);
      if (shape === 'no-end') return Buffer.concat(parts);
      if (shape === 'cut') return whole.subarray(0, Math.floor(whole.length / 2));
      if (shape === 'other-boundary') return Buffer.from(whole.toString('latin1').replaceAll('BOUNDARY', 'OTHER'), 'latin1');
      return whole;
    });
    const statuses = new Map<number, number>();
    const result = await fc.check(fc.asyncProperty(bodies, fc.constantFrom(TOKENS.agent, TOKENS.supervisor, TOKENS.admin), async (body, token) => {
      const response = await fetch(`${app.baseUrl}/complaints/${complaintId}/attachments`, {
        method: 'POST', body, headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data; boundary=BOUNDARY' },
      });
      const text = await response.text();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status < 400 || response.status >= 500) throw new Error(`${response.status} for a hostile upload: ${text.slice(0, 300)}`);
      if (!(response.headers.get('content-type') ?? '').startsWith('application/problem+json')) throw new Error(`${response.status} without problem+json`);
      const broken = contract.problems(route, { status: response.status, headers: response.headers, body: JSON.parse(text) });
      if (broken.length > 0) throw new Error(broken.join('\n'));
    }), { numRuns: Math.max(100, Math.floor(RUNS / 4)), endOnFailure: true, ...(SEED === undefined ? {} : { seed: SEED }) });
    const failure = result.failed ? `${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)} — seed ${result.seed}` : null;
    expect(failure).toBeNull();
    expect((await app.request('GET', '/health')).body.eventStore.headPosition).toBe(headBefore);
    expect((await app.request('GET', `/complaints/${complaintId}/attachments`)).body.items).toEqual([]);
    expect(existsSync(join(app.dataDir, 'blobs')) ? readdirSync(join(app.dataDir, 'blobs')).filter((name) => name !== 'tmp') : []).toEqual([]);
    process.stdout.write(`fuzz (uploads): statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}\n`);
  }, 300_000);
  it('refuses blank text (spaces, no-break spaces, invisible characters alone) in any text field of a valid command body (nested fields and list items too): 400 naming the field, nothing written', async () => {
    // Issue 19: "\u200b\u2060" passed trim() and the checks for spaces, and was recorded as a damage reason, a signature, a cancel reason;
    // spaces alone were recorded as a description, an apology statement, repair notes (every field whose command had no blank check).
    const INVISIBLE = ['\u00a0', ' \u3000\t', '\u200b\u2060', '\u200d\ufe0f', '\u3164\u2800', '\ufeff', ' \ufeff\u3000', '\u2028 '];
    const headBefore = (await app.request('GET', '/health')).body.eventStore.headPosition;
    /** Each string of the body (top level, in a nested object, in a list's first item) and the field name a refusal gives it. */
    const textFields = (valid: Record<string, unknown>): Array<{ field: string; set: (text: string) => Record<string, unknown> }> => Object.entries(valid).flatMap(([key, value]) => {
      if (typeof value === 'string') return [{ field: key, set: (text: string) => ({ ...valid, [key]: text }) }];
      const nested = Array.isArray(value) ? value[0] : value;
      if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) return [];
      return Object.entries(nested as Record<string, unknown>).filter(([, inner]) => typeof inner === 'string').map(([inner]) => ({
        field: Array.isArray(value) ? `${key}.0.${inner}` : `${key}.${inner}`,
        set: (text: string) => {
          const changed = { ...(nested as Record<string, unknown>), [inner]: text };
          return { ...valid, [key]: Array.isArray(value) ? [changed, ...value.slice(1)] : changed };
        },
      }));
    });
    const failures: string[] = [];
    let checked = 0;
    for (const [route, valid] of Object.entries(VALID_BODIES)) {
      if (route === 'POST /complaints/:id/attachments') continue; // multipart: its text fields are checked by the upload fuzz
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern.replace(':id', pattern.startsWith('/work-orders/') ? '3b9e1f52-6c0d-4f7a-8e21-5d4c3b2a1f00' : complaintId)
        .replace(':tokenId', tokenId).replace(':serial', 'TQ2240-000731').replace(':code', 'dandong-station').replace(':engineerId', 'eng-wang')
        .replace(':agentId', 'agent-fuzz').replace(':webhookId', 'wh-fuzz').replace(':deliveryId', 'delivery-fuzz');
      const roles = MATRIX[route];
      const role = roles === 'public' || roles === undefined || roles.includes('admin') ? 'admin' : roles[0]!;
      for (const { field, set } of textFields(valid)) {
        // Spaces alone in every field (the commonest blank), and one of the other blanks in turn.
        for (const text of ['   ', INVISIBLE[checked++ % INVISIBLE.length]!]) {
          const response = await app.request(method, path, { role: role as keyof typeof TOKENS, body: set(text) });
          const named = (response.body?.errors ?? []).some((error: { field: string }) => error.field === field);
          if (response.status !== 400 || !named) failures.push(`${route} with ${field} = ${JSON.stringify(text)} → ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(100);
    expect((await app.request('GET', '/health')).body.eventStore.headPosition).toBe(headBefore);
  }, 300_000);

  it('answers a null in any one field of a valid command body (nested fields and list items too) with no 5xx', async () => {
    // Ids of things that exist, so a command reaches its decision: a null the DTO lets through as "absent" must not crash it.
    const complaint = (await app.request('POST', '/complaints', { role: 'agent', body: newComplaint })).body.id as string;
    const workOrder = (await app.request('POST', '/work-orders', { role: 'agent', body: newWorkOrder })).body.id as string;
    /** Each body of the route with one field set to null: top-level fields, the fields of a nested object, those of a list's first item. */
    const withOneNull = (valid: Record<string, unknown>): Array<{ path: string; body: Record<string, unknown> }> => Object.entries(valid).flatMap(([key, value]) => {
      const variants = [{ path: key, body: { ...valid, [key]: null } }];
      const nested = Array.isArray(value) ? value[0] : value;
      if (nested !== null && typeof nested === 'object' && !Array.isArray(nested)) {
        for (const inner of Object.keys(nested)) {
          const changed = { ...(nested as Record<string, unknown>), [inner]: null };
          variants.push({ path: `${key}.${inner}`, body: { ...valid, [key]: Array.isArray(value) ? [changed, ...value.slice(1)] : changed } });
        }
      }
      return variants;
    });
    const failures: string[] = [];
    for (const [route, valid] of Object.entries(VALID_BODIES)) {
      const [method, pattern] = route.split(' ') as [string, string];
      const path = pattern
        .replace(':id', pattern.startsWith('/work-orders/') ? workOrder : complaint)
        .replace(':tokenId', tokenId).replace(':name', 'never-built').replace(':serial', 'TQ2240-000731')
        .replace(':code', 'dandong-station').replace(':engineerId', 'eng-wang').replace(':agentId', 'agent-fuzz');
      for (const variant of withOneNull(valid)) {
        // A role the route admits, so the body reaches validation and the decision rather than a 403.
        const roles = MATRIX[route];
        const role = roles === 'public' || roles === undefined || roles.includes('admin') ? 'admin' : roles[0]!;
        const response = await fetch(`${app.baseUrl}${path}`, {
          method, headers: { authorization: `Bearer ${TOKENS[role as keyof typeof TOKENS]}`, 'content-type': 'application/json' }, body: JSON.stringify(variant.body),
        });
        const text = await response.text();
        if (response.status >= 500) failures.push(`${route} with ${variant.path}: null → ${response.status} ${text.slice(0, 200)}`);
        else if (response.status >= 400 && !(response.headers.get('content-type') ?? '').startsWith('application/problem+json')) failures.push(`${route} with ${variant.path}: null → ${response.status} without problem+json`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
