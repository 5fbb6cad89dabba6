import { createHash, randomUUID } from 'node:crypto';
import { deterministicUuid } from './deterministic-id';

describe('deterministicUuid (RFC 9562 version 5)', () => {
  it('gives the RFC\'s own example', () => {
    // RFC 9562, appendix A.4: the DNS namespace and www.example.com.
    expect(deterministicUuid('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it('gives the ids stored logs hold: SHA-1 of the namespace\'s bytes then the name\'s UTF-8, version and variant set', () => {
    const reference = (namespace: string, name: string) => {
      const bytes = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest().subarray(0, 16);
      bytes[6] = (bytes[6]! & 0x0f) | 0x50;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      const hex = bytes.toString('hex');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    };
    for (let index = 0; index < 300; index += 1) {
      const namespace = index % 2 === 0 ? randomUUID() : randomUUID().toUpperCase();
      for (const name of [String(index), `${index}\n${'f'.repeat(64)}`, '客户\ud800', '', '投'.repeat(100 * (index % 7))]) expect(deterministicUuid(namespace, name)).toBe(reference(namespace, name));
    }
  });

  it('refuses a namespace that is not a UUID', () => {
    expect(() => deterministicUuid('not-a-uuid', 'x')).toThrow(RangeError);
  });

  it('refuses every namespace the UUID pattern refuses, and answers right after a refusal', () => {
    const valid = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    const refused = [
      '', valid.slice(1), `${valid}0`, `{${valid.slice(1, -1)}}`, valid.replace(/-/g, ''), valid.replace('-', '_'), `6ba7b810${'-9dad-11d1-80b4'.replace(/-/g, '')}---00c04fd430c8`,
      valid.replace('b', 'g'), valid.replace('b', 'G'), valid.replace('b', ' '), valid.replace('0', '٠'), valid.replace('c8', 'cň'), valid.replace('6', '@'), valid.replace('6', '`'),
    ];
    for (const namespace of refused) expect(() => deterministicUuid(namespace, 'x')).toThrow(`namespace must be a UUID: ${namespace}`);
    expect(deterministicUuid(valid, 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
