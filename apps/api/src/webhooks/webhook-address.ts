import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** ipaddr.js's ranges a webhook may reach; everything else (loopback, private, link-local, unique-local, multicast, unspecified, reserved …) is refused. */
const PUBLIC_RANGES: ReadonlySet<string> = new Set(['unicast']);

/** Whether an address is one a webhook must not reach: anything not plain public unicast (an IPv4-mapped IPv6 address is judged as the IPv4 it maps). */
export function isForbiddenAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  // ::a.b.c.d without ffff is IPv4-compatible, not IPv4-mapped (ipaddr.js reads it as mapped): never a public unicast address.
  if (/^::(\d{1,3}\.){3}\d{1,3}$/.test(address)) return true;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  // The deprecated IPv4-compatible form (::a.b.c.d, RFC 4291 §2.5.5.1): judged as the IPv4 address it carries, and refused as not unicast anyway.
  if (parsed.kind() === 'ipv6') {
    const parts = (parsed as ipaddr.IPv6).parts;
    if (parts.slice(0, 6).every((part) => part === 0) && (parts[6] !== 0 || parts[7]! > 1)) return true;
  }
  return !PUBLIC_RANGES.has(parsed.range());
}

export class WebhookAddressRefusedError extends Error {}

export type Lookup = (host: string) => Promise<ReadonlyArray<{ readonly address: string }>>;
const systemLookup: Lookup = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Checks where a webhook URL leads: its host (as written, and every address DNS gives for it) must
 * be public, unless the host or its address is in `allowHosts` (WEBHOOK_ALLOW_HOSTS). Asked at
 * registration and again before every attempt, since DNS may answer differently later. Throws
 * WebhookAddressRefusedError with a message that says what to do.
 *
 * Returns the addresses it checked, which the sender connects to (webhook-http.ts): DNS is asked once
 * per attempt, so an answer that changes between the check and the connection (DNS rebinding) cannot
 * lead the request elsewhere. Null for a host listed by name: the operator trusts it wherever it leads.
 */
export async function checkWebhookTarget(url: string, allowHosts: readonly string[], resolve: Lookup = systemLookup): Promise<string[] | null> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (allowHosts.includes(host)) return null;
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await resolve(host)).map((entry) => entry.address);
    } catch (error) {
      throw new WebhookAddressRefusedError(`the host ${host} cannot be resolved (${(error as { code?: string }).code ?? 'DNS error'}).`);
    }
    if (addresses.length === 0) throw new WebhookAddressRefusedError(`the host ${host} has no address.`);
  }
  const forbidden = addresses.filter((address) => !allowHosts.includes(address) && isForbiddenAddress(address));
  if (forbidden.length > 0) {
    throw new WebhookAddressRefusedError(
      `${host} leads to ${forbidden.join(', ')}, a loopback, private, link-local or otherwise non-public address that webhooks may not reach. `
      + 'Use a public address, or have the operator list the host in WEBHOOK_ALLOW_HOSTS.',
    );
  }
  return addresses;
}
