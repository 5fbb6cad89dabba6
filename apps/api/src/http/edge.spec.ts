import { MAX_BODY_DEPTH, MalformedBodyError, parseJsonBody } from './edge';

const reasonOf = (body: Buffer): string | undefined => {
  try {
    parseJsonBody(body);
    return undefined;
  } catch (error) {
    return (error as MalformedBodyError).reason;
  }
};

describe('strict JSON bodies', () => {
  it('parses ordinary JSON, Chinese text included', () => {
    expect(parseJsonBody(Buffer.from('{"reason":"油量不足","n":[1,{"a":null}]}'))).toEqual({ reason: '油量不足', n: [1, { a: null }] });
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'utf-8'],
    ['an empty body', Buffer.from('  '), 'json'],
    ['broken JSON', Buffer.from('{"a":'), 'json'],
    ['__proto__', Buffer.from('{"__proto__":{"isAdmin":true}}'), 'prototype'],
    ['constructor.prototype', Buffer.from('{"constructor":{"prototype":{"isAdmin":true}}}'), 'prototype'],
    ['a plain constructor key', Buffer.from('{"a":{"constructor":1}}'), 'prototype'],
    ['a prototype key', Buffer.from('[{"prototype":"x"}]'), 'prototype'],
    ['nesting one level too deep', Buffer.from(`${'['.repeat(MAX_BODY_DEPTH + 1)}${']'.repeat(MAX_BODY_DEPTH + 1)}`), 'depth'],
    ['nesting 30,000 levels deep', Buffer.from(`${'['.repeat(30_000)}${']'.repeat(30_000)}`), 'depth'],
  ])('refuses %s', (_name, body, reason) => {
    expect(reasonOf(body)).toBe(reason);
  });

  it('accepts nesting up to the limit', () => {
    expect(reasonOf(Buffer.from(`${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}`))).toBeUndefined();
  });
});
