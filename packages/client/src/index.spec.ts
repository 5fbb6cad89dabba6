import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ComplaintDeskError, type CommandHeaders, commandHeaders, createComplaintDeskClient, etagOf, isProblem, retriesOnReset, revisionOf, unwrap } from './index';

/** A fetch that records each request and answers with `answer`. */
function recordingFetch(answer: () => Response) {
  const requests: Request[] = [];
  const fetch = async (input: Request) => {
    requests.push(input);
    return answer();
  };
  return { fetch, requests };
}

const json = (body: unknown, status = 200, contentType = 'application/json') => new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });
const accepted = () => json({ id: 'c-1', revision: 3, position: 42 });

describe('createComplaintDeskClient', () => {
  it('sends the token as a bearer token, asking a token function before each request', async () => {
    const tokens = ['first-token', 'second-token'];
    const { fetch, requests } = recordingFetch(() => json({ status: 'ok' }));
    const desk = createComplaintDeskClient({ baseUrl: 'https://desk.example.com', token: () => tokens.shift(), fetch });
    await desk.GET('/taxonomy');
    await desk.GET('/taxonomy');
    expect(requests.map((request) => request.headers.get('authorization'))).toEqual(['Bearer first-token', 'Bearer second-token']);
  });

  it('leaves an Authorization header the caller set, and sends none without a token', async () => {
    const { fetch, requests } = recordingFetch(() => json({ status: 'ok' }));
    await createComplaintDeskClient({ baseUrl: 'https://desk.example.com', token: 'client-token', fetch }).GET('/taxonomy', { headers: { Authorization: 'Bearer per-call' } });
    await createComplaintDeskClient({ baseUrl: 'https://desk.example.com', fetch }).GET('/taxonomy');
    expect(requests.map((request) => request.headers.get('authorization'))).toEqual(['Bearer per-call', null]);
  });

  it('sends the command headers under the names the document gives them, and the body as JSON', async () => {
    const { fetch, requests } = recordingFetch(accepted);
    const desk = createComplaintDeskClient({ baseUrl: 'https://desk.example.com/api', token: 'client-token', fetch });
    await desk.POST('/complaints/{id}/assign', {
      params: { path: { id: 'c 1' }, header: commandHeaders({ expectedRevision: 2, idempotencyKey: 'key-1', correlationId: 'call-7' }) },
      body: { department: 'station-ops', assignee: 'zhang.wei' },
    });
    const [request] = requests;
    expect(request?.url).toBe('https://desk.example.com/api/complaints/c%201/assign');
    expect([request?.headers.get('if-match'), request?.headers.get('idempotency-key'), request?.headers.get('x-correlation-id'), request?.headers.get('x-causation-id')])
      .toEqual(['"2"', 'key-1', 'call-7', null]);
    expect(await request?.json()).toEqual({ department: 'station-ops', assignee: 'zhang.wei' });
  });
});

describe('commandHeaders', () => {
  it('leaves out what is not given, so that a command without If-Match is not checked against a revision', () => {
    expect(commandHeaders({})).toEqual({});
    expect(commandHeaders({ expectedRevision: 0 })).toEqual({ 'If-Match': '"0"' });
  });
});

describe('revisionOf', () => {
  it('reads the revision from an ETag, weak or strong, or from a response, and nothing from anything else', () => {
    expect([revisionOf('"5"'), revisionOf('W/"12"'), revisionOf(etagOf(7)), revisionOf(new Response(null, { headers: { etag: '"3"' } }))]).toEqual([5, 12, 7, 3]);
    expect([revisionOf('5'), revisionOf('"five"'), revisionOf(null), revisionOf(new Response(null))]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('unwrap', () => {
  const problem = { type: 'https://complaint-desk.dev/problems/not-received', title: 'Conflict', status: 409, detail: 'Only a received complaint can be judged well-founded.', code: 'not-received' };

  it('answers the data of a successful call', async () => {
    const { fetch } = recordingFetch(accepted);
    const desk = createComplaintDeskClient({ baseUrl: 'https://desk.example.com', fetch });
    await expect(unwrap(desk.POST('/complaints/{id}/reopen', { params: { path: { id: 'c-1' } }, body: { reason: 'disputed' } }))).resolves.toEqual({ id: 'c-1', revision: 3, position: 42 });
  });

  it('throws the problem of a refusal, with its status and code', async () => {
    const { fetch } = recordingFetch(() => json(problem, 409, 'application/problem+json'));
    const desk = createComplaintDeskClient({ baseUrl: 'https://desk.example.com', fetch });
    const error = await unwrap(desk.POST('/complaints/{id}/validate', { params: { path: { id: 'c-1' } }, body: { reason: 'ok' } })).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ComplaintDeskError);
    expect(error).toMatchObject({ status: 409, problem, message: '409 not-received: Only a received complaint can be judged well-founded.' });
    expect((error as ComplaintDeskError).code).toBe('not-received');
  });

  it('throws without a problem when something other than the API answered (a proxy\'s error page)', async () => {
    const { fetch } = recordingFetch(() => new Response('<html>Bad gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    const desk = createComplaintDeskClient({ baseUrl: 'https://desk.example.com', fetch });
    const error = await unwrap(desk.GET('/taxonomy')).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ status: 502, problem: undefined });
    expect((error as ComplaintDeskError).code).toBeUndefined();
  });
});

describe('isProblem', () => {
  it('knows a problem by its code, status and title', () => {
    expect(isProblem({ title: 'Conflict', status: 409, code: 'not-received' })).toBe(true);
    expect([isProblem('Conflict'), isProblem(null), isProblem({ status: 409, title: 'Conflict' })]).toEqual([false, false, false]);
  });
});

/**
 * A real server on a loopback port whose first `resets` requests lose their connection before any byte
 * of an answer (the socket destroyed, as a server closing an idle keep-alive socket does to a request
 * that was already on its way); the next are answered `answer`.
 */
async function resettingServer(resets: number, answer: (response: ServerResponse) => void = (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')) {
  const seen: { method: string; url: string; key: string | undefined; body: string; port: number }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', key: request.headers['idempotency-key'] as string | undefined, body, port: request.socket.remotePort ?? 0 });
      if (seen.length <= resets) request.socket.destroy();
      else answer(response);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((closed) => {
      server.closeAllConnections();
      server.close(() => closed());
    }),
  };
}

describe('a request whose connection is reset before any answer (the keep-alive race)', () => {
  let server: Awaited<ReturnType<typeof resettingServer>> | undefined;
  afterEach(async () => server?.close());
  const rejection = (call: Promise<unknown>) => call.then(() => 'resolved', (thrown: unknown) => thrown);
  const assignment = (header: CommandHeaders) => ({ params: { path: { id: 'c-1' }, header }, body: { department: 'station-ops', assignee: 'zhang.wei' } });

  it('is sent once more for a GET, on a new connection, and answers the second answer', async () => {
    server = await resettingServer(1);
    const { data } = await createComplaintDeskClient({ baseUrl: server.baseUrl }).GET('/taxonomy');
    expect(data).toEqual({ status: 'ok' });
    expect(server.seen.map(({ method, url }) => `${method} ${url}`)).toEqual(['GET /taxonomy', 'GET /taxonomy']);
    expect(server.seen[1]?.port).not.toBe(server.seen[0]?.port);
  });

  it('is sent once more for a POST that carries an Idempotency-Key, with the same key and body (the API answers a repeat once)', async () => {
    server = await resettingServer(1, (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"c-1","revision":2,"position":7}'));
    const { data } = await createComplaintDeskClient({ baseUrl: server.baseUrl }).POST('/complaints/{id}/assign', assignment(commandHeaders({ idempotencyKey: 'key-1' })));
    expect(data).toEqual({ id: 'c-1', revision: 2, position: 7 });
    expect(server.seen.map(({ key, body }) => [key, JSON.parse(body)])).toEqual([
      ['key-1', { department: 'station-ops', assignee: 'zhang.wei' }],
      ['key-1', { department: 'station-ops', assignee: 'zhang.wei' }],
    ]);
  });

  it('is not sent again for a POST without an Idempotency-Key: the command may have been written, and a repeat would write it twice', async () => {
    server = await resettingServer(1);
    const thrown = await rejection(createComplaintDeskClient({ baseUrl: server.baseUrl }).POST('/complaints/{id}/assign', assignment(commandHeaders({ expectedRevision: 1 }))));
    expect(thrown).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(server.seen).toHaveLength(1);
  });

  it('is not sent again for a POST to a route that ignores Idempotency-Key (issuing a token), even with one', async () => {
    server = await resettingServer(1);
    const desk = createComplaintDeskClient({ baseUrl: server.baseUrl });
    const thrown = await rejection(desk.POST('/access/tokens', { headers: { 'Idempotency-Key': 'key-2' }, body: { principalId: 'zhang.wei', role: 'agent', reason: 'a new agent' } }));
    expect(thrown).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(server.seen).toHaveLength(1);
  });

  it('is not sent again when retryOnReset is false', async () => {
    server = await resettingServer(1);
    const thrown = await rejection(createComplaintDeskClient({ baseUrl: server.baseUrl, retryOnReset: false }).GET('/taxonomy'));
    expect(thrown).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(server.seen).toHaveLength(1);
  });

  it('is sent again once only: when the repeat is reset too, the first failure is thrown as fetch threw it, its cause the reset', async () => {
    server = await resettingServer(Number.POSITIVE_INFINITY);
    const thrown = await rejection(createComplaintDeskClient({ baseUrl: server.baseUrl }).GET('/taxonomy'));
    expect(server.seen).toHaveLength(2);
    // fetch's own TypeError (of Node's realm, not jest's: hence no toBeInstanceOf), as the caller would have had it without the retry.
    expect(thrown).toMatchObject({ name: 'TypeError', message: 'fetch failed', cause: { code: 'UND_ERR_SOCKET', message: 'other side closed' } });
    // The first connection's, not the repeat's: the client's end of it is the port the server saw first.
    expect((thrown as { cause: { socket: { localPort: number } } }).cause.socket.localPort).toBe(server.seen[0]?.port);
  });

  it('is not sent again once an answer began: a body cut off after the headers fails the call', async () => {
    server = await resettingServer(0, (response) => {
      // Destroyed once the headers and the start of the body are written (destroying at once would drop them unsent).
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }).write('{"status"', () => response.socket?.destroy());
    });
    const thrown = await rejection(createComplaintDeskClient({ baseUrl: server.baseUrl }).GET('/taxonomy'));
    expect(thrown).not.toBe('resolved');
    expect(server.seen).toHaveLength(1);
  });

  it('is not sent again on an HTTP error status', async () => {
    server = await resettingServer(0, (response) => response.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"status":503,"title":"Service Unavailable","code":"store-unavailable"}'));
    const { response } = await createComplaintDeskClient({ baseUrl: server.baseUrl }).GET('/taxonomy');
    expect(response.status).toBe(503);
    expect(server.seen).toHaveLength(1);
  });

  // Aborted on the first request (never sent again), or during the repeat after a reset (the abort is thrown, not the reset before it).
  it.each([
    ['is not sent again when the caller aborted it', 0, 1],
    ['throws the caller\'s abort, not the reset before it, when the caller aborts during the repeat', 1, 2],
  ])('%s', async (_title, resets, requests) => {
    const controller = new AbortController();
    server = await resettingServer(resets, () => controller.abort());
    const thrown = await rejection(createComplaintDeskClient({ baseUrl: server.baseUrl }).GET('/taxonomy', { signal: controller.signal }));
    expect(thrown).toMatchObject({ name: 'AbortError' });
    expect(server.seen).toHaveLength(requests);
  });
});

describe('retriesOnReset', () => {
  const request = (method: string, path: string, headers: Record<string, string> = {}) => new Request(`https://desk.example.com/api${path}`, { method, headers });

  it('repeats what changes nothing or is idempotent, and no PATCH', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'].map((method) => retriesOnReset(request(method, '/analytics/as-of/june')))).toEqual([true, true, true, true, true, false]);
  });

  it('repeats a POST with an Idempotency-Key exactly where the document says the route takes one', () => {
    const document = JSON.parse(readFileSync(join(__dirname, 'generated', 'openapi.json'), 'utf8')) as { paths: Record<string, { post?: { parameters?: { in: string; name: string }[] } }> };
    const posts = Object.entries(document.paths).flatMap(([path, operations]) => (operations.post ? [{ path, takesKey: (operations.post.parameters ?? []).some((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key') }] : []));
    expect(posts.filter(({ takesKey }) => !takesKey).length).toBeGreaterThan(0);
    const judged = posts.map(({ path }) => {
      const sent = path.replace(/\{[^}]+\}/g, 'x-1');
      return { path, takesKey: retriesOnReset(request('POST', sent, { 'Idempotency-Key': 'key-1' })), withoutKey: retriesOnReset(request('POST', sent)) };
    });
    expect(judged).toEqual(posts.map(({ path, takesKey }) => ({ path, takesKey, withoutKey: false })));
  });
});
