import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

/** What the agents' pools are told apart by beside the origin: the addresses the attempt's check gave. */
type PinnedOptions = RequestOptions & { readonly pinned?: string };

/** Names a pool by the origin and the checked addresses, so a kept-alive socket serves only an attempt whose check gave the same ones. */
function pinnedName(name: string, options: PinnedOptions | undefined): string {
  return `${name}|${options?.pinned ?? ''}`;
}

class PinnedHttpAgent extends HttpAgent {
  override getName(options?: PinnedOptions): string {
    return pinnedName(super.getName(options), options);
  }
}

class PinnedHttpsAgent extends HttpsAgent {
  override getName(options?: PinnedOptions): string {
    return pinnedName(super.getName(options), options);
  }
}

/**
 * Connections kept alive between attempts (as Node's global agent does), a few idle ones per pool, closed after
 * 5 s unused. Node's global agent names a pool by the origin alone: an attempt whose check gave other addresses
 * would have been sent over a socket opened to the addresses of an earlier check.
 */
const AGENT_OPTIONS = { keepAlive: true, scheduling: 'lifo', timeout: 5_000, maxFreeSockets: 4 } as const;
const httpAgent = new PinnedHttpAgent(AGENT_OPTIONS);
const httpsAgent = new PinnedHttpsAgent(AGENT_OPTIONS);

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
    const options: PinnedOptions = {
      method: 'POST',
      headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
      signal: AbortSignal.timeout(post.timeoutMs),
      agent: target.protocol === 'https:' ? httpsAgent : httpAgent,
      ...(post.pinned === null ? {} : { lookup: pinnedLookup(post.pinned), pinned: [...post.pinned].sort().join(',') }),
    };
    const request = send(target, options, (response: IncomingMessage) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(post.body);
  });
}
