import { randomUUID } from 'node:crypto';
import { EventStore } from '@app/event-store';
import { FeedHub } from '../../apps/api/src/feed/feed-hub';
import { bodyOf, openSse, type SseStream } from './support/sse';
import { QUIET_HTTP, TOKENS, newComplaint, newWorkOrder, useApp, type RunningApp } from './support/test-app';

/** GET /feed over real HTTP connections: Server-Sent Events and the long poll (docs/adr/0014). */

/** Receives a complaint; `position` is that of its ComplaintReceived (the answer's is the later of it and the customer file's). */
const receive = async (app: RunningApp, overrides: object = {}): Promise<{ id: string; position: number }> => {
  const answer = await app.request('POST', '/complaints', { role: 'agent', body: { ...newComplaint, ...overrides } });
  expect(answer.status).toBe(201);
  const events = await app.request('GET', `/complaints/${answer.body.id}/events`);
  return { id: answer.body.id, position: events.body.events[0].position };
};
const assign = async (app: RunningApp, id: string, department: string): Promise<number> => {
  expect((await app.request('POST', `/complaints/${id}/validate`, { body: { reason: 'checked' } })).status).toBe(200);
  const assigned = await app.request('POST', `/complaints/${id}/assign`, { body: { department, assignee: `${department}-handler` } });
  expect(assigned.status).toBe(200);
  return assigned.body.position;
};
const head = async (app: RunningApp): Promise<number> => (await app.request('GET', '/health')).body.eventStore.headPosition;
const caughtUp = (stream: SseStream) => stream.waitFor((message) => message.event === 'caught-up');

describe('the change feed (GET /feed)', () => {
  const app = useApp();
  const open: SseStream[] = [];
  const sse = async (path: string, options: { token?: string; headers?: Record<string, string> } = {}) => {
    const stream = await openSse(app().baseUrl, path, { token: options.token ?? TOKENS.supervisor, ...(options.headers ? { headers: options.headers } : {}) });
    open.push(stream);
    return stream;
  };
  afterEach(() => {
    for (const stream of open.splice(0)) stream.close();
  });

  describe('as Server-Sent Events', () => {
    it('sends the stored events, then caught-up, then each new event as it is recorded, with the position as id', async () => {
      const before = await receive(app());
      const stream = await sse(`/feed?streamType=complaint&after=${before.position - 1}`);
      expect(stream.status).toBe(200);
      expect(stream.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      expect(stream.response.headers['cache-control']).toBe('no-store');
      const stored = await stream.waitFor((message) => message.id === String(before.position));
      expect(stored.event).toBe('ComplaintReceived');
      await caughtUp(stream);

      const live = await receive(app(), { customerId: 'cust-feed-live' });
      const message = await stream.waitFor((candidate) => candidate.id === String(live.position));
      expect(message.event).toBe('ComplaintReceived');
      expect(JSON.parse(message.data!)).toMatchObject({
        position: live.position, stream: `complaint-${live.id}`, streamType: 'complaint', revision: 0, type: 'ComplaintReceived',
        recordedAt: expect.any(String), data: { customer: expect.objectContaining({ id: 'cust-feed-live' }) }, metadata: { actor: { id: 'agent-e2e', role: 'agent' } },
      });
      // In log order, each once.
      const ids = stream.events().filter((event) => event.id !== undefined).map((event) => Number(event.id));
      expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b));
    });

    it('resumes after Last-Event-ID, which wins over after', async () => {
      const first = await receive(app(), { customerId: 'cust-feed-resume' });
      const second = await receive(app(), { customerId: 'cust-feed-resume' });
      const stream = await sse(`/feed?streamType=complaint&customerId=cust-feed-resume&after=0`, { headers: { 'last-event-id': String(first.position) } });
      await caughtUp(stream);
      const events = stream.events().filter((event) => event.event === 'ComplaintReceived');
      expect(events.map((event) => event.data.stream)).toEqual([`complaint-${second.id}`]);
      expect(events[0]!.id).toBe(String(second.position));
    });

    it('reads a position the same way in after and in Last-Event-ID: leading zeros are taken by both (issue 21)', async () => {
      const first = await receive(app(), { customerId: 'cust-feed-zeros' });
      const second = await receive(app(), { customerId: 'cust-feed-zeros' });
      const padded = String(first.position).padStart(8, '0');
      const page = await app().request('GET', `/feed?streamType=complaint&customerId=cust-feed-zeros&after=${padded}`);
      expect(page.status).toBe(200);
      expect(page.body.events.map((event: { position: number }) => event.position)).toEqual([second.position]);
      const stream = await sse('/feed?streamType=complaint&customerId=cust-feed-zeros', { headers: { 'last-event-id': padded } });
      expect(stream.status).toBe(200);
      await caughtUp(stream);
      expect(stream.events().filter((event) => event.event === 'ComplaintReceived').map((event) => event.id)).toEqual([String(second.position)]);
    });

    it('filters by stream type, event type, complaint and customer', async () => {
      const { id, position: from } = await receive(app(), { customerId: 'cust-feed-filter' });
      const other = await receive(app(), { customerId: 'cust-feed-other' });
      const last = await assign(app(), id, 'station-ops');
      await assign(app(), other.id, 'station-ops');
      const since = `after=${from - 1}`;

      const assignments = await sse(`/feed?${since}&type=ComplaintAssigned,ComplaintValidated`);
      await caughtUp(assignments);
      expect(new Set(assignments.events().filter((event) => event.id).map((event) => event.event))).toEqual(new Set(['ComplaintAssigned', 'ComplaintValidated']));

      const one = await sse(`/feed?${since}&complaintId=${id.toUpperCase()}`);
      await caughtUp(one);
      expect(one.events().filter((event) => event.id).map((event) => [event.event, event.data.stream])).toEqual([
        ['ComplaintReceived', `complaint-${id}`], ['ComplaintValidated', `complaint-${id}`], ['ComplaintAssigned', `complaint-${id}`],
      ]);
      expect(one.events().find((event) => event.event === 'ComplaintAssigned')!.id).toBe(String(last));

      const customer = await sse(`/feed?${since}&customerId=cust-feed-filter`);
      await caughtUp(customer);
      const streams = new Set(customer.events().filter((event) => event.id).map((event) => event.data.stream));
      // The complaint, and the customer file opened at intake.
      expect(streams).toEqual(new Set([`complaint-${id}`, 'customer-cust-feed-filter']));

      const workOrders = await sse(`/feed?${since}&streamType=work-order`);
      await caughtUp(workOrders);
      expect(workOrders.events().filter((event) => event.id)).toEqual([]);
    });

    it('leaves the personal values of customer files out (data.personal is null), which the file\'s own events route shows', async () => {
      const { position } = await receive(app(), { customerId: 'cust-feed-personal', customerName: '赵女士' });
      const stream = await sse(`/feed?after=${position - 1}&streamType=customer-file&customerId=cust-feed-personal`);
      await caughtUp(stream);
      const opened = stream.events().filter((event) => event.event === 'CustomerFileOpened');
      expect(opened).toHaveLength(1);
      expect(opened[0]!.data.data.personal).toBeNull();
      expect(stream.raw).not.toContain('赵女士');
      const own = await app().request('GET', '/customers/cust-feed-personal/events');
      expect(JSON.stringify(own.body)).toContain('赵女士');
    });

    it('leaves out the name a complaint was received with, and keeps the customer\'s id', async () => {
      const { position, id } = await receive(app(), { customerId: 'cust-feed-named', customerName: '钱先生' });
      const stream = await sse(`/feed?after=${position - 1}&streamType=complaint&complaintId=${id}`);
      await caughtUp(stream);
      const received = stream.events().filter((event) => event.event === 'ComplaintReceived');
      expect(received[0]!.data.data.customer).toMatchObject({ id: 'cust-feed-named', name: null });
      expect(stream.raw).not.toContain('钱先生');
    });

    it('sends a principal limited to departments only the complaints it sees, as the lists do, and access events only to admins and auditors', async () => {
      const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'feed.billing', role: 'agent', departments: ['billing'], reason: 'feed test' } });
      expect(issued.status).toBe(201);
      const from = issued.body.position as number;
      const ours = await receive(app(), { customerId: 'cust-feed-billing' });
      const theirs = await receive(app(), { customerId: 'cust-feed-ops' });
      await assign(app(), ours.id, 'billing');
      await assign(app(), theirs.id, 'station-ops');

      const scoped = await sse(`/feed?after=${from - 1}`, { token: issued.body.token });
      await caughtUp(scoped);
      const streams = scoped.events().filter((event) => event.id).map((event) => event.data.stream as string);
      // Every event of the billing complaint, including those before it reached billing; nothing of the other one, nor of tokens.
      expect(streams.filter((stream) => stream === `complaint-${ours.id}`)).toHaveLength(3);
      expect(streams.filter((stream) => stream === `complaint-${theirs.id}`)).toEqual([]);
      expect(streams).not.toContain('access-control');
      expect(streams).not.toContain('customer-cust-feed-ops');

      // Live too: the other complaint's next event does not come; the next one of ours does.
      const theirsNext = await app().request('POST', `/complaints/${theirs.id}/apologise`, { role: 'agent', body: { statement: '抱歉', channel: 'phone' } });
      const oursNext = await app().request('POST', `/complaints/${ours.id}/apologise`, { role: 'agent', body: { statement: '抱歉', channel: 'phone' } });
      await scoped.waitFor((message) => message.id === String(oursNext.body.position));
      expect(scoped.messages.some((message) => message.id === String(theirsNext.body.position))).toBe(false);

      const supervisor = await app().request('GET', `/feed?after=${from - 1}&streamType=access`);
      expect(supervisor.body.events).toEqual([]);
      const auditor = await app().request('GET', `/feed?after=${from - 1}&streamType=access`, { role: 'auditor' });
      expect(auditor.body.events.map((event: { type: string }) => event.type)).toEqual(['AccessTokenIssued']);
      expect(auditor.body.events[0].data).not.toHaveProperty('tokenHash');
    });

    it('tells a principal limited to departments nothing of a complaint it does not see through the position: the same answer as for a complaint that does not exist', async () => {
      const issued = await app().request('POST', '/access/tokens', { role: 'admin', body: { principalId: 'feed.billing.oracle', role: 'agent', departments: ['billing'], reason: 'feed test' } });
      expect(issued.status).toBe(201);
      const theirs = await receive(app(), { customerId: 'cust-feed-oracle' });
      const assigned = await assign(app(), theirs.id, 'station-ops');
      await receive(app(), { customerId: 'cust-feed-oracle-later' });
      // A complaint it may not see answers 404 as one that does not exist; the feed filtered by it must not tell them apart either.
      expect((await app().request('GET', `/complaints/${theirs.id}`, { token: issued.body.token })).status).toBe(404);
      const unknown = randomUUID();
      const poll = async (query: string) => {
        const answer = await app().request('GET', `/feed?${query}`, { token: issued.body.token });
        expect(answer.status).toBe(200);
        return answer.body;
      };
      const [ofTheirs, ofUnknown] = [await poll(`complaintId=${theirs.id}`), await poll(`complaintId=${unknown}`)];
      expect(ofTheirs).toEqual(ofUnknown);
      expect(ofTheirs.position).not.toBe(assigned);
      // Nor when the latest assignment of the log is one it does not see.
      expect((await poll('type=ComplaintAssigned')).position).not.toBe(assigned);

      const caughtUpAt = async (query: string): Promise<number> => JSON.parse((await caughtUp(await sse(`/feed?${query}`, { token: issued.body.token }))).data!).position;
      const streamed = await caughtUpAt(`complaintId=${theirs.id}`);
      expect(typeof streamed).toBe('number');
      expect(streamed).toBe(await caughtUpAt(`complaintId=${unknown}`));

      // Waiting: a change of that complaint while the long polls wait moves neither answer apart from the other.
      const waiting = [poll(`complaintId=${theirs.id}&wait=2`), poll(`complaintId=${unknown}&wait=2`)];
      await new Promise((resolve) => setTimeout(resolve, 300));
      const apologised = await app().request('POST', `/complaints/${theirs.id}/apologise`, { role: 'agent', body: { statement: '抱歉', channel: 'phone' } });
      expect(apologised.status).toBe(200);
      const [whileTheirs, whileUnknown] = await Promise.all(waiting);
      expect(whileTheirs).toEqual(whileUnknown);
    });

    it('sends an engineer the work orders of its station only, by their service point now', async () => {
      const admin = async (path: string, body: object) => {
        const answer = await app().request('POST', path, { role: 'admin', body });
        expect([path, answer.status < 300]).toEqual([path, true]);
        return answer.body;
      };
      await admin('/service-network/units', { code: 'feed-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Centre' }, reason: 'feed test' });
      // Two units may not share a name: each station is named after its city.
      for (const [code, region, zh, en] of [['feed-dandong', '210600', '丹东服务站', 'Dandong station'], ['feed-dalian', '210200', '大连服务站', 'Dalian station']] as const) {
        await admin('/service-network/units', { code, kind: 'station', name: { 'zh-CN': zh, en }, parent: 'feed-centre', regions: [region], reason: 'feed test' });
      }
      await admin('/service-network/engineers', { engineerId: 'feed-wang', name: '王工', station: 'feed-dandong', skills: ['pump'], reason: 'hired' });
      const wang = (await admin('/access/tokens', { principalId: 'feed-wang', role: 'engineer', departments: ['feed-dandong'], reason: 'feed test' })).token as string;
      const liu = (await admin('/access/tokens', { principalId: 'feed-liu', role: 'engineer', departments: ['feed-dalian'], reason: 'feed test' })).token as string;
      const reported = await app().request('POST', '/work-orders', { role: 'agent', body: newWorkOrder });
      expect(reported.status).toBe(201);
      const dispatched = await app().request('POST', `/work-orders/${reported.body.id}/dispatch`, { role: 'agent', body: { stationCode: 'feed-dandong', engineerId: 'feed-wang' } });
      expect(dispatched.status).toBe(200);

      const page = (token: string) => fetch(`${app().baseUrl}/feed?streamType=work-order&after=${reported.body.position - 1}`, { headers: { authorization: `Bearer ${token}` } })
        .then((answer) => answer.json() as Promise<{ events: Array<{ stream: string; type: string }> }>);
      expect((await page(wang)).events.map((event) => event.type)).toEqual(['WorkOrderReported', 'WorkOrderDispatched']);
      expect((await page(liu)).events).toEqual([]);
    });
  });

  describe('as a long poll (JSON)', () => {
    it('answers the events after the position at once, a page at a time, with the position to resume from', async () => {
      const first = await receive(app(), { customerId: 'cust-feed-poll' });
      const second = await receive(app(), { customerId: 'cust-feed-poll' });
      const page = await app().request('GET', `/feed?format=json&customerId=cust-feed-poll&streamType=complaint&limit=1&after=${first.position - 1}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(page.body.events.map((event: { position: number }) => event.position)).toEqual([first.position]);
      expect(page.body.position).toBe(first.position);
      const next = await app().request('GET', `/feed?customerId=cust-feed-poll&streamType=complaint&after=${page.body.position}`, { headers: { accept: 'application/json' } });
      expect(next.body.events.map((event: { position: number }) => event.position)).toEqual([second.position]);
    });

    it('waits up to `wait` seconds, then answers an empty page and the position to resume from', async () => {
      const from = await head(app());
      const started = Date.now();
      const page = await app().request('GET', `/feed?after=${from}&wait=1&customerId=cust-feed-nobody`);
      expect(page.status).toBe(200);
      expect(page.body.events).toEqual([]);
      expect(page.body.position).toBeGreaterThanOrEqual(from);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it('answers as soon as an event comes while it waits', async () => {
      const from = await head(app());
      const polling = app().request('GET', `/feed?after=${from}&wait=20&customerId=cust-feed-wake&streamType=complaint`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const received = await receive(app(), { customerId: 'cust-feed-wake' });
      const page = await polling;
      expect(page.body.events.map((event: { position: number }) => event.position)).toEqual([received.position]);
      expect(page.body.position).toBe(received.position);
    });
  });

  describe('refuses bad requests with 400 saying how to fix them', () => {
    it.each([
      ['after=-1', 'after'], ['after=abc', 'after'], ['after=1.5', 'after'], ['streamType=complaints', 'streamType'], ['streamType=complaint,', 'streamType'],
      ['type=NoSuchEvent', 'type'], ['complaintId=not-a-uuid', 'complaintId'], ['customerId=%3Cscript%3E', 'customerId'], ['wait=31', 'wait'], ['wait=-1', 'wait'],
      ['limit=0', 'limit'], ['limit=201', 'limit'], ['format=csv', 'format'], ['unknown=1', 'unknown'],
    ])('%s', async (query, field) => {
      const answer = await app().request('GET', `/feed?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it.each(['abc', '-1', '1.5', '31'])('wait=%s: says the range it takes, in whole seconds', async (wait) => {
      const answer = await app().request('GET', `/feed?wait=${wait}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ field: 'wait', message: expect.stringMatching(/^wait must be a whole number of seconds from 0 to (30|FEED_MAX_WAIT_S) /) }]);
    });

    it.each(['0x10', '1e2', '%2B5', '5.0', '-0'])('after=%s: a decimal integer of digits only, as Last-Event-ID', async (after) => {
      const answer = await app().request('GET', `/feed?after=${after}&wait=0`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'after', message: expect.stringContaining('digits only') })]);
      const stream = await sse('/feed', { headers: { 'last-event-id': decodeURIComponent(after) } });
      expect(stream.status).toBe(400);
      expect((await bodyOf(stream)).errors).toEqual([expect.objectContaining({ field: 'Last-Event-ID', message: expect.stringContaining('digits only') })]);
    });

    it('refuses a position of more than 16 digits the same way in after and in Last-Event-ID, however many of them are zeros', async () => {
      const long = '00000000000000001';
      const answer = await app().request('GET', `/feed?after=${long}&wait=0`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'after', message: expect.stringContaining('digits only') })]);
      const stream = await sse('/feed', { headers: { 'last-event-id': long } });
      expect(stream.status).toBe(400);
      expect((await bodyOf(stream)).errors).toEqual([expect.objectContaining({ field: 'Last-Event-ID', message: expect.stringContaining('digits only') })]);
    });

    it('a position past the end of the log, which would skip what the log writes up to it (after or Last-Event-ID)', async () => {
      const head = (await app().request('GET', '/feed?wait=0&limit=1')).body.position as number;
      const ahead = await app().request('GET', `/feed?after=${head + 1000}`);
      expect(ahead.status).toBe(400);
      expect(ahead.body.errors).toEqual([expect.objectContaining({ field: 'after', message: expect.stringContaining('past the end of the log') })]);
      const stream = await sse('/feed', { headers: { 'last-event-id': String(head + 1000) } });
      expect(stream.status).toBe(400);
      expect((await bodyOf(stream)).errors).toEqual([expect.objectContaining({ field: 'Last-Event-ID', message: expect.stringContaining('past the end of the log') })]);
    });

    it('a Last-Event-ID that is not a position, on the stream too', async () => {
      const stream = await sse('/feed', { headers: { 'last-event-id': 'abc' } });
      expect(stream.status).toBe(400);
      expect((await bodyOf(stream)).errors).toEqual([expect.objectContaining({ field: 'Last-Event-ID' })]);
    });

    it('an Accept header that allows neither JSON nor an event stream: 406; a wildcard alone never opens a stream', async () => {
      for (const accept of ['text/csv', 'text/*;q=0.5, application/xml', 'text/event-stream;q=0']) {
        const answer = await app().request('GET', '/feed', { headers: { accept } });
        expect([accept, answer.status, answer.body.code]).toEqual([accept, 406, 'not-acceptable']);
      }
      const browser = await app().request('GET', '/feed?streamType=product', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect([browser.status, browser.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
    });

    // The feed offered a bare application/json, which negotiator does not match to a range with a charset: older Spring's header got 406.
    it('answers JSON to an Accept that names UTF-8 as the lists do, and refuses another charset', async () => {
      for (const accept of ['application/json;charset=UTF-8', '*/*; charset=utf-8', 'application/json; charset="utf-8"']) {
        const answer = await app().request('GET', '/feed?streamType=product&wait=0', { headers: { accept } });
        expect([accept, answer.status, answer.headers.get('content-type')]).toEqual([accept, 200, 'application/json; charset=utf-8']);
      }
      const latin = await app().request('GET', '/feed?streamType=product&wait=0', { headers: { accept: 'application/json;charset=latin1' } });
      expect([latin.status, latin.body.code]).toEqual([406, 'not-acceptable']);
    });

    // The lists refused these with a 406; the feed read the first charset (as negotiator does) and a range's higher q.
    it('refuses a repeated parameter naming it, and a range both refused and asked for, as the lists do', async () => {
      const repeated = await app().request('GET', '/feed?streamType=product&wait=0', { headers: { accept: 'application/json;charset=utf-8;charset=latin1' } });
      expect([repeated.status, repeated.body.code]).toEqual([406, 'not-acceptable']);
      expect(repeated.body.detail).toMatch(/names charset more than once/);
      const both = await app().request('GET', '/feed?streamType=product&wait=0', { headers: { accept: 'application/json;q=0, application/json' } });
      expect([both.status, both.body.code]).toEqual([406, 'not-acceptable']);
    });

    // The feed said only "allows neither"; the lists say which parameter cannot be met and what to send.
    it('says why a stream or a JSON with another charset cannot be served, in the lists\' words; a stream refused and asked for; problem+json alone', async () => {
      for (const [accept, why] of [
        ['text/event-stream;charset=latin1', /text\/event-stream;charset=latin1 cannot be served: the only charset is utf-8; send Accept: text\/event-stream, or add format=event-stream to the query\.$/],
        ['application/json;charset=latin1', /application\/json;charset=latin1 cannot be served: the only charset is utf-8; send Accept: application\/json, or add format=json to the query\.$/],
        ['text/event-stream;q=0, text/event-stream', /refuses an event stream with text\/event-stream;q=0 and asks for it with text\/event-stream\b.*remove text\/event-stream;q=0/],
        ['application/json;q=0, application/problem+json', /accepts only application\/problem\+json.*RFC 9457/],
      ] as const) {
        const answer = await app().request('GET', '/feed?streamType=product&wait=0', { headers: { accept } });
        expect([accept, answer.status, answer.body.code, answer.body.detail]).toEqual([accept, 406, 'not-acceptable', expect.stringMatching(why)]);
      }
    });

    // Review: the feed said "allows neither" (or "accepts only problem+json") where the single documents explain.
    it('explains JSON refused, CSV asked for and problem+json refused as the single documents do', async () => {
      for (const [accept, why] of [
        ['application/json;q=0, */*', /refuses JSON \(q=0\), and an event stream is opened only where text\/event-stream is named: send Accept: application\/json or text\/event-stream/],
        ['application/json;q=0, text/plain', /refuses JSON \(q=0\)/],
        ['text/csv\u00a0', /text\/csv\\xa0 has a no-break space \(U\+00A0\) after text\/csv, so it matches nothing.*this route has no CSV/],
        ['application/json;q=0, application/problem+json, text/csv', /asks for CSV with text\/csv, and this route has no CSV/],
        ['application/problem+json;q=0', /refuses application\/problem\+json with application\/problem\+json;q=0, and taking it is reading JSON, so it takes nothing/],
        ['application/problem+json;q=0, application/problem+json', /remove application\/problem\+json;q=0 to get JSON, or add format=json to the query\.$/],
      ] as const) {
        const answer = await app().request('GET', '/feed?streamType=product&wait=0', { headers: { accept } });
        expect([accept, answer.status, answer.body.code, answer.body.detail]).toEqual([accept, 406, 'not-acceptable', expect.stringMatching(why)]);
      }
    });

    // text/event-stream<no-break space> matches nothing in negotiator: the feed fell back to a JSON long poll the client did not prefer.
    it('refuses an event-stream range with a stray blank, naming it, rather than answering the JSON it ranked lower', async () => {
      const answer = await app().request('GET', '/feed?streamType=product&wait=0', { headers: { accept: 'text/event-stream\u00a0, application/json;q=0.5' } });
      expect([answer.status, answer.body.code]).toEqual([406, 'not-acceptable']);
      expect(answer.body.detail).toMatch(/no-break space \(U\+00A0\) after text\/event-stream/);
    });
  });
});

describe('the change feed under load', () => {
  const app = useApp(undefined, { http: { ...QUIET_HTTP, feed: { connectionsPerToken: 2, bufferEvents: 4, heartbeatMs: 200, maxWaitSeconds: 5 } } });

  it('tells a reader that does not keep up to reconnect from its position, and closes its stream', async () => {
    const stream = await openSse(app().baseUrl, '/feed?streamType=product', { token: TOKENS.admin });
    try {
      await caughtUp(stream);
      stream.pause();
      // Events big enough to fill the socket's buffers (the API's commands are small), appended as a burst straight to the
      // store; of a type no projection knows, so that the read side skips them.
      const store = app().get(EventStore);
      const serial = `FEED-${randomUUID().slice(0, 8).toUpperCase()}`;
      const big = 'x'.repeat(600_000);
      for (let index = 0; index < 20; index += 1) {
        await store.append(`product-${serial}`, [{ eventId: randomUUID(), type: 'FeedLoadPadding', data: { serialNumber: serial, padding: big }, metadata: {} }]);
      }
      // The server dropped the connection from the hub once its buffer overflowed.
      const hub = app().get(FeedHub);
      for (let attempt = 0; attempt < 100 && hub.size > 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(hub.size).toBe(0);
      stream.resume();
      await stream.ended;
      const events = stream.events();
      const last = events[events.length - 1]!;
      expect(last.event).toBe('reconnect');
      expect(last.data.reason).toBe('behind');
      const delivered = events.filter((event) => event.event === 'FeedLoadPadding');
      expect(delivered.length).toBeLessThan(20);
      // The position to resume from is the last event it received (its id too, for an EventSource).
      const resumeFrom = delivered.length > 0 ? Number(delivered[delivered.length - 1]!.id) : last.data.position;
      expect(last.data.position).toBe(resumeFrom);
      expect(last.id).toBe(String(resumeFrom));

      // Reconnecting from there gets the rest, each once.
      const again = await openSse(app().baseUrl, '/feed?streamType=product', { token: TOKENS.admin, headers: { 'last-event-id': String(resumeFrom) } });
      try {
        await caughtUp(again);
        const rest = again.events().filter((event) => event.event === 'FeedLoadPadding');
        expect(delivered.length + rest.length).toBe(20);
      } finally {
        again.close();
      }
    } finally {
      stream.close();
    }
  }, 60_000);

  it('keeps a quiet stream alive with heartbeat comments', async () => {
    const stream = await openSse(app().baseUrl, '/feed?customerId=cust-feed-quiet', { token: TOKENS.analyst });
    try {
      await stream.waitFor((message) => message.comment === 'heartbeat', 5000);
    } finally {
      stream.close();
    }
  });

  it('holds at most FEED_CONNECTIONS_PER_TOKEN connections per token (429 with Retry-After), and gives a place back when a client goes away', async () => {
    const first = await openSse(app().baseUrl, '/feed?streamType=complaint', { token: TOKENS.auditor });
    const second = await openSse(app().baseUrl, '/feed?streamType=complaint', { token: TOKENS.auditor });
    try {
      const third = await openSse(app().baseUrl, '/feed?streamType=complaint', { token: TOKENS.auditor });
      expect(third.status).toBe(429);
      expect(third.response.headers['retry-after']).toBe('1');
      expect((await bodyOf(third)).code).toBe('too-many-in-flight');
      // Another token has places of its own.
      expect((await app().request('GET', '/feed?format=json&streamType=complaint', { role: 'admin' })).status).toBe(200);
      first.close();
      let answer = await app().request('GET', '/feed?format=json&streamType=complaint', { role: 'auditor' });
      for (let attempt = 0; attempt < 50 && answer.status === 429; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        answer = await app().request('GET', '/feed?format=json&streamType=complaint', { role: 'auditor' });
      }
      expect(answer.status).toBe(200);
    } finally {
      first.close();
      second.close();
    }
  });

  it('gives a waiting long poll\'s place back as soon as its client goes away', async () => {
    const aborts = [new AbortController(), new AbortController()];
    // From the end of the log, for a customer with no events: the polls wait.
    const head = (await app().request('GET', '/health')).body.eventStore.headPosition as number;
    const waiting = aborts.map((abort) => fetch(`${app().baseUrl}/feed?streamType=complaint&customerId=cust-feed-gone&wait=5&after=${head}`, {
      headers: { authorization: `Bearer ${TOKENS.engineer}` }, signal: abort.signal,
    }).catch(() => undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await app().request('GET', '/feed?format=json&streamType=complaint', { role: 'engineer' })).status).toBe(429);
    for (const abort of aborts) abort.abort();
    await Promise.all(waiting);
    // Well before the 5 s the polls asked to wait.
    let answer = await app().request('GET', '/feed?format=json&streamType=complaint', { role: 'engineer' });
    for (let attempt = 0; attempt < 20 && answer.status === 429; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      answer = await app().request('GET', '/feed?format=json&streamType=complaint', { role: 'engineer' });
    }
    expect(answer.status).toBe(200);
  });

  it('ends open streams with a reconnect message when the app shuts down', async () => {
    // An app of its own, stopped here.
    const { startApp, removeDataDir } = await import('./support/test-app');
    const own = await startApp();
    const stream = await openSse(own.baseUrl, '/feed', { token: TOKENS.supervisor });
    try {
      await caughtUp(stream);
      await own.stop();
      await stream.ended;
      const events = stream.events();
      expect(events[events.length - 1]).toMatchObject({ event: 'reconnect', data: { reason: 'shutdown' } });
    } finally {
      stream.close();
      removeDataDir(own.dataDir);
    }
  });
});
