import { ComplaintDeskError, commandHeaders, createComplaintDeskClient, etagOf, isProblem, revisionOf, unwrap } from './index';

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
