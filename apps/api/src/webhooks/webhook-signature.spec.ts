import { createHmac } from 'node:crypto';
import { secretFingerprint, signWebhook, verifyWebhook } from './webhook-signature';

const secret = 'whsec-0123456789abcdef0123456789abcdef';
const body = '{"position":42,"type":"ComplaintReceived"}';

describe('webhook signature', () => {
  it('is the HMAC-SHA256 of "<timestamp>.<body>" in hex, after t=', () => {
    const expected = createHmac('sha256', secret).update(`1764672000.${body}`).digest('hex');
    expect(signWebhook(secret, 1764672000, body)).toBe(`t=1764672000,v1=${expected}`);
  });

  it('verifies with the same secret, body and a recent timestamp', () => {
    expect(verifyWebhook(secret, signWebhook(secret, 1764672000, body), body, 1764672100)).toBe(true);
  });

  it('fails with another secret, another body, an old timestamp or a mangled header', () => {
    const header = signWebhook(secret, 1764672000, body);
    expect(verifyWebhook(`${secret}x`, header, body, 1764672000)).toBe(false);
    expect(verifyWebhook(secret, header, body.replace('42', '43'), 1764672000)).toBe(false);
    expect(verifyWebhook(secret, header, body, 1764672000 + 301)).toBe(false);
    expect(verifyWebhook(secret, header.replace('t=1764672000', 't=1764672001'), body, 1764672000)).toBe(false);
    expect(verifyWebhook(secret, 'v1=zz', body, 1764672000)).toBe(false);
  });

  it('signs with each secret in force during a rotation, the new one first, and either verifies', () => {
    const old = 'whsec-old-0123456789abcdef0123456789abcd';
    const header = signWebhook([secret, old], 1764672000, body);
    const v1 = (key: string) => createHmac('sha256', key).update(`1764672000.${body}`).digest('hex');
    expect(header).toBe(`t=1764672000,v1=${v1(secret)},v1=${v1(old)}`);
    expect(verifyWebhook(secret, header, body, 1764672000)).toBe(true);
    expect(verifyWebhook(old, header, body, 1764672000)).toBe(true);
    expect(verifyWebhook('whsec-another-0123456789abcdef0123456789', header, body, 1764672000)).toBe(false);
  });

  it('refuses a header with two timestamps (which one was signed?)', () => {
    const header = signWebhook(secret, 1764672000, body);
    expect(verifyWebhook(secret, `t=1764672001,${header}`, body, 1764672000)).toBe(false);
  });

  it('keeps a fingerprint of the secret that is not the secret', () => {
    expect(secretFingerprint(secret)).toMatch(/^[0-9a-f]{64}$/);
    expect(secretFingerprint(secret)).not.toContain(secret);
  });
});
