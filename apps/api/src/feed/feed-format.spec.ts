import { NotAcceptableError } from '../http/request-errors';
import { negotiateFeedFormat } from './feed-format';

const refusal = (accept: string): Error => {
  try {
    negotiateFeedFormat(undefined, accept);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${accept} was not refused`);
};

describe('negotiateFeedFormat', () => {
  it.each([
    [undefined, 'json'], ['*/*', 'json'], ['application/json', 'json'], ['text/event-stream', 'event-stream'], ['text/event-stream;charset=UTF-8', 'event-stream'],
    ['text/event-stream, application/json;q=0.5', 'event-stream'], ['application/problem+json', 'json'], ['text/html,application/xhtml+xml,*/*;q=0.8', 'json'],
    ['application/problem+json;charset=utf-8', 'json'],
  ])('answers Accept %j with %s', (accept, format) => {
    expect(negotiateFeedFormat(undefined, accept)).toBe(format);
  });

  // The lists said why (`the only charset is utf-8`, what to send); the feed said only that the Accept allowed neither.
  it.each([
    ['text/event-stream;charset=latin1', /but the Accept header's text\/event-stream;charset=latin1 cannot be served: the only charset is utf-8; send Accept: text\/event-stream, or add format=event-stream to the query\.$/],
    ['text/event-stream;foo=bar', /text\/event-stream;foo=bar cannot be served: text\/event-stream here has no parameter foo \(charset=utf-8 only\); send Accept: text\/event-stream/],
    ['application/json;charset=latin1', /application\/json;charset=latin1 cannot be served: the only charset is utf-8; send Accept: application\/json, or add format=json to the query\.$/],
  ])('refuses Accept %j in the lists\' words: why it cannot be served and what to send', (accept, why) => {
    const error = refusal(accept);
    expect(error).toBeInstanceOf(NotAcceptableError);
    expect(error.message).toMatch(/^This route answers application\/json or text\/event-stream \(or add format=json\|event-stream to the query\), but /);
    expect(error.message).toMatch(why);
    expect(error.message).not.toMatch(/allows neither/);
  });

  it('refuses a stream both refused (q=0) and asked for, saying so and how to fix it', () => {
    expect(refusal('text/event-stream;q=0, text/event-stream').message)
      .toMatch(/refuses an event stream with text\/event-stream;q=0 and asks for it with text\/event-stream\b.*remove text\/event-stream;q=0 to get an event stream, or add format=event-stream to the query\.$/);
  });

  // A long poll is JSON, not a problem document (RFC 9457): an Accept that refuses application/json and takes only problem+json has none to get.
  it.each(['application/json;q=0, application/problem+json', '*/*;q=0, application/problem+json'])('refuses Accept %j (only problem documents accepted)', (accept) => {
    expect(refusal(accept).message).toMatch(/accepts only application\/problem\+json, the type of an error document \(RFC 9457\), which a successful answer is not: send Accept: application\/json.*or add format=json to the query\.$/);
  });

  it('opens no stream on a wildcard, even one that JSON is refused beside', () => {
    expect(refusal('*/*;q=0.8, application/json;q=0')).toBeInstanceOf(NotAcceptableError);
  });
  // Review L1: CSV asked for beside problem+json is not "only problem documents".
  it.each(['application/json;q=0, application/problem+json, text/csv'])('does not say "accepts only problem+json" of %j', (accept) => {
    expect(refusal(accept).message).not.toMatch(/accepts only application\/problem\+json/);
  });

  // Review L2: problem+json refused is JSON refused, as on every route.
  it.each(['application/problem+json;q=0', 'application/problem+json;q=0, application/problem+json'])('refuses %j saying how to fix it', (accept) => {
    const message = refusal(accept).message;
    expect(message).not.toMatch(/allows neither/);
    expect(message).toMatch(/application\/problem\+json;q=0/);
  });

  // Review L3: the feed explains what the single documents explain.
  it.each([
    ['application/json;q=0, */*', /refuses JSON \(q=0\)/], ['application/json;q=0, text/plain', /refuses JSON \(q=0\)/],
    ['text/csv\u00a0', /text\/csv\\xa0 has a no-break space \(U\+00A0\) after text\/csv, so it matches nothing.*this route has no CSV/],
  ])('refuses %j with the single documents\' detail', (accept, why) => {
    const message = refusal(accept).message;
    expect(message).not.toMatch(/allows neither/);
    expect(message).toMatch(why);
  });
});
