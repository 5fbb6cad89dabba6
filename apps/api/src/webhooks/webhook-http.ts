import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

export interface WebhookPost {
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /**
   * The addresses the address check approved (checkWebhookTarget): the connection goes to one of them,
   * never to what a second DNS answer says; null: resolve as usual (a host the operator listed by name).
   */
  readonly pinned: readonly string[] | null;
}

/**
 * A lookup that answers the addresses given, whatever is asked: the socket connects where the check
 * looked. Node calls it with `all: true` when it may try several addresses (autoSelectFamily), else for one.
 */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? entries.filter((entry) => entry.family === options.family) : entries;
    if (wanted.length === 0) {
      callback(Object.assign(new Error(`no checked address of IPv${String(options.family)}`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    if (options.all) (callback as unknown as (error: null, addresses: typeof entries) => void)(null, wanted);
    else callback(null, wanted[0]!.address, wanted[0]!.family);
  };
}

/**
 * POSTs a webhook body and answers the status code. node:http(s) rather than fetch: fetch takes no
 * lookup, and global fetch's dispatcher needs the undici package. The URL's host name stays the Host
 * header and the TLS server name (SNI, certificate check); only the address is pinned. Redirects are
 * not followed (the caller reports them). The response body is drained and dropped.
 */
export function postWebhook(url: string, post: WebhookPost): Promise<{ status: number }> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(target, {
      method: 'POST',
      headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
      signal: AbortSignal.timeout(post.timeoutMs),
      ...(post.pinned === null ? {} : { lookup: pinnedLookup(post.pinned) }),
    }, (response: IncomingMessage) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(post.body);
  });
}
