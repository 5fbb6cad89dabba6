import { createHmac, createHash, timingSafeEqual } from 'node:crypto';

/**
 * The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, with
 * one v1 per secret in force — two during the grace period after a rotation (the new secret's first),
 * as Stripe does. A receiver accepts the request when any v1 matches a secret it holds.
 */
export const SIGNATURE_HEADER = 'Complaint-Desk-Signature';

const mac = (secret: string, timestamp: number, body: string): string => createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');

/** The signature of one attempt: over the timestamp and the exact bytes sent, so a receiver can refuse a replay of an old one; one v1 per secret given, in order. */
export function signWebhook(secrets: string | readonly string[], timestamp: number, body: string): string {
  const all = typeof secrets === 'string' ? [secrets] : secrets;
  return [`t=${timestamp}`, ...all.map((secret) => `v1=${mac(secret, timestamp, body)}`)].join(',');
}

/**
 * What a receiver does (the README shows the same in a few lines): one of the header's v1 equals the
 * HMAC of `${t}.${body}`, and t is recent. Here for the tests and for anyone who embeds the API.
 */
export function verifyWebhook(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = header.split(',').map((part) => {
    const at = part.indexOf('=');
    return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
  });
  const timestamps = parts.filter(([key]) => key === 't');
  const timestamp = timestamps.length === 1 ? Number(timestamps[0]![1]) : Number.NaN;
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  return parts.some(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value) && timingSafeEqual(expected, Buffer.from(value, 'hex')));
}

/** What the log keeps of a secret: its SHA-256 (secrets are at least 32 characters, so it cannot be guessed back). */
export const secretFingerprint = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');
