import { beforeEach, describe, expect, it, jest } from '@jest/globals';
import { QueryClient } from '@tanstack/react-query';
import { askFirstRequests } from './first-requests';
import { askFirstScreen } from './first-screen';

/**
 * The first screen's requests leave before the console's code has loaded (first-requests.ts, a script of its own in
 * index.html), and the queries that the start and the screens make then take those answers instead of asking again.
 */
describe("the console's first requests", () => {
  const asked: string[] = [];
  const answer = (url: string) => new Response(JSON.stringify(url.startsWith('/complaints') ? { items: [], nextCursor: null } : { url }), { status: 200, headers: { 'content-type': 'application/json' } });
  const storage = new Map<string, string>();

  beforeEach(() => {
    asked.length = 0;
    storage.clear();
    Object.assign(globalThis, {
      sessionStorage: { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => storage.set(key, value), removeItem: (key: string) => storage.delete(key) },
      fetch: async (url: string) => {
        asked.push(url);
        return answer(url);
      },
    });
  });

  const settled = (client: QueryClient) => new Promise<void>((resolve) => {
    const check = () => (client.isFetching() === 0 ? resolve() : setTimeout(check, 1));
    check();
  });

  it('asks the session, the taxonomy and the queue of the address once, when the tab holds a token', async () => {
    storage.set('complaint-desk.token', 'a-token');
    askFirstRequests('#/?cause=service');
    // The queue names no status: the open complaints, its default.
    expect(asked).toEqual(['/session', '/taxonomy', '/complaints?status=open&cause=service&sort=nextDueAt&limit=20']);
    const client = new QueryClient();
    askFirstScreen(client, '#/?cause=service');
    await settled(client);
    expect(asked).toHaveLength(3);
    expect(client.getQueryData(['session'])).toEqual({ url: '/session' });
    expect(client.getQueryData(['complaints', { status: 'open', cause: 'service', sort: 'nextDueAt' }, null])).toEqual({ items: [], nextCursor: null });
  });

  it('asks the queue of every status without a status filter (status=any is the console\'s, not the API\'s)', async () => {
    storage.set('complaint-desk.token', 'a-token');
    askFirstRequests('#/?status=any&cause=service');
    expect(asked).toEqual(['/session', '/taxonomy', '/complaints?cause=service&sort=nextDueAt&limit=20']);
    const client = new QueryClient();
    askFirstScreen(client, '#/?status=any&cause=service');
    await settled(client);
    expect(asked).toHaveLength(3);
    expect(client.getQueryData(['complaints', { cause: 'service', sort: 'nextDueAt' }, null])).toEqual({ items: [], nextCursor: null });
  });

  it('asks nothing without a token (the sign-in form comes first), and not the queue on another screen', () => {
    askFirstRequests('#/');
    expect(asked).toEqual([]);
    storage.set('complaint-desk.token', 'a-token');
    askFirstRequests('#/dashboard');
    expect(asked).toEqual(['/session', '/taxonomy']);
  });

  it("makes a date format once its requests have left, before the console's code runs (the browser's first one loads the time-zone data)", async () => {
    storage.set('complaint-desk.token', 'a-token');
    const happened: string[] = [];
    const original = Intl.DateTimeFormat;
    const counting = function (this: unknown, ...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      happened.push('date format');
      return new original(...args);
    } as unknown as typeof Intl.DateTimeFormat;
    Object.assign(globalThis, {
      window: { location: { hash: '#/' } },
      fetch: async (url: string) => {
        happened.push(url);
        return answer(url);
      },
    });
    Intl.DateTimeFormat = counting;
    try {
      jest.isolateModules(() => {
        require('../first-requests');
      });
      // The format waits for the next turn: nothing delays the requests.
      expect(happened).toEqual(['/session', '/taxonomy', '/complaints?status=open&sort=nextDueAt&limit=20']);
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(happened.slice(3)).toContain('date format');
    } finally {
      Intl.DateTimeFormat = original;
      delete (globalThis as { window?: unknown }).window;
    }
  });

  it('takes an early answer once: a later refetch asks the API again', async () => {
    storage.set('complaint-desk.token', 'a-token');
    askFirstRequests('#/');
    const client = new QueryClient();
    askFirstScreen(client, '#/');
    await settled(client);
    await client.refetchQueries({ queryKey: ['session'] });
    expect(asked.filter((url) => url === '/session')).toHaveLength(2);
  });
});
