import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkWebhookTarget, type Lookup } from './webhook-address';
import { pinnedLookup, postWebhook } from './webhook-http';

/** A resolver that answers `answers[n]` on its n-th call (the last one after that), and counts. */
function rebinding(...answers: string[]) {
  const calls: string[] = [];
  const lookup: Lookup = async (host) => {
    calls.push(host);
    return [{ address: answers[Math.min(calls.length - 1, answers.length - 1)]! }];
  };
  return { lookup, calls };
}

describe('the pinned lookup', () => {
  it('answers the checked addresses whatever host is asked, one or all, by family', () => {
    const lookup = pinnedLookup(['93.184.215.14', '2606:4700::6810:85e5']);
    const answers: unknown[] = [];
    lookup('anything.example', { all: true }, (error, addresses) => answers.push([error, addresses]));
    lookup('anything.example', {}, (error, address, family) => answers.push([error, address, family]));
    lookup('anything.example', { family: 6 }, (error, address, family) => answers.push([error, address, family]));
    expect(answers).toEqual([
      [null, [{ address: '93.184.215.14', family: 4 }, { address: '2606:4700::6810:85e5', family: 6 }]],
      [null, '93.184.215.14', 4],
      [null, '2606:4700::6810:85e5', 6],
    ]);
  });
});

describe('posting to the address that was checked (DNS rebinding)', () => {
  let server: Server;
  let port: number;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => received.splice(0));

  it('asks DNS once and connects to that answer, though a second question would lead elsewhere; the host name stays the Host header', async () => {
    // First the (allowed) receiver, then an address nothing listens on: a sender that asked again would miss.
    const dns = rebinding('127.0.0.1', '10.255.255.1');
    const url = `http://hook.rebind.test:${port}/hooks`;
    const pinned = await checkWebhookTarget(url, ['127.0.0.1'], dns.lookup);
    expect(pinned).toEqual(['127.0.0.1']);
    const response = await postWebhook(url, { body: '{"a":1}', headers: { 'content-type': 'application/json' }, timeoutMs: 2_000, pinned });
    expect(response.status).toBe(204);
    expect(dns.calls).toEqual(['hook.rebind.test']);
    expect(received).toEqual([{ headers: expect.objectContaining({ host: `hook.rebind.test:${port}`, 'content-length': '7' }), body: '{"a":1}' }]);
  });

  it('is refused before any connection when the one answer is private', async () => {
    const dns = rebinding('10.0.0.7', '127.0.0.1');
    await expect(checkWebhookTarget(`http://hook.rebind.test:${port}/hooks`, [], dns.lookup)).rejects.toThrow(/10\.0\.0\.7/);
    expect(dns.calls).toHaveLength(1);
    expect(received).toEqual([]);
  });

  it('resolves as usual only for a host the operator listed by name', async () => {
    const response = await postWebhook(`http://localhost:${port}/hooks`, { body: '{}', headers: {}, timeoutMs: 2_000, pinned: await checkWebhookTarget(`http://localhost:${port}/hooks`, ['localhost'], rebinding('10.0.0.7').lookup) });
    expect(response.status).toBe(204);
  });

  it('gives up after the timeout', async () => {
    const slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://hook.rebind.test:${(slow.address() as AddressInfo).port}/`;
      await expect(postWebhook(url, { body: '{}', headers: {}, timeoutMs: 200, pinned: ['127.0.0.1'] })).rejects.toMatchObject({ name: 'AbortError', cause: expect.objectContaining({ name: 'TimeoutError' }) });
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('never sends over a kept-alive connection opened to other addresses than the attempt\'s check gave (an answer that changed between attempts)', async () => {
    // Two loopback addresses, one listener on each port's wildcard: where each request arrived is the socket's local address.
    const arrivedAt: string[] = [];
    const both = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        arrivedAt.push((request.socket.localAddress ?? '').replace(/^::ffff:/, ''));
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => both.listen(0, '0.0.0.0', resolve));
    try {
      const url = `http://hook.rebind.test:${(both.address() as AddressInfo).port}/hooks`;
      for (const pinned of [['127.0.0.1'], ['127.0.0.2'], ['127.0.0.2']]) {
        const response = await postWebhook(url, { body: '{}', headers: {}, timeoutMs: 2_000, pinned });
        expect(response.status).toBe(204);
      }
      expect(arrivedAt).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.2']);
    } finally {
      both.closeAllConnections();
      await new Promise<void>((resolve) => both.close(() => resolve()));
    }
  });
});
