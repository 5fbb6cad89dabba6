import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: { position: number; type: string; stream: string; data: Record<string, unknown> } & Record<string, unknown>;
}

/**
 * A webhook receiver on 127.0.0.1 (node:http): it records every POST and answers with the next
 * status of `script` (then 204), or holds the request open when the status is 'hang'.
 */
export async function startReceiver() {
  const received: ReceivedHook[] = [];
  const script: Array<number | 'hang'> = [];
  const held: ServerResponse[] = [];
  let answer: number | 'hang' = 204;
  let delayMs = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, body, json: JSON.parse(body) });
      const status = script.shift() ?? answer;
      if (status === 'hang') {
        held.push(response);
        return;
      }
      if (delayMs > 0) setTimeout(() => response.writeHead(status).end(), delayMs);
      else response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Statuses for the next requests, in order (not `then`: an object with a then method is taken for a promise). */
    next(...statuses: Array<number | 'hang'>) {
      script.push(...statuses);
    },
    /** The status of every request once the script is used up. */
    always(status: number | 'hang') {
      answer = status;
    },
    /** Answers each request this long after it arrived (a slow receiver). */
    slowly(ms: number) {
      delayMs = ms;
    },
    async waitFor(check: (hooks: readonly ReceivedHook[]) => boolean, timeoutMs = 15_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!check(received)) {
        if (Date.now() > until) throw new Error(`the receiver did not get what was expected in ${timeoutMs} ms; got ${received.map((hook) => hook.json.type).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close(): Promise<void> {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
