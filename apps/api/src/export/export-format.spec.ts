import { NotAcceptableError, RequestValidationError } from '../http/request-errors';
import { asksForCsvOnly, jsonOnlyRefusal, negotiateFormat, readAccept } from './export-format';

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'json'],
    ['', 'json'],
    ['*/*', 'json'],
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/*', 'json'],
    ['text/csv', 'csv'],
    ['text/csv; charset=utf-8', 'csv'],
    ['text/*', 'csv'],
    ['text/csv, application/json;q=0.9', 'csv'],
    ['text/csv;q=0.5, application/json', 'json'],
    ['text/html, */*;q=0.8', 'json'],
    // RFC 4180's header parameter: every CSV here starts with its header row.
    ['text/csv;header=present', 'csv'],
    ['text/csv; charset=utf-8; header=present', 'csv'],
    ['text/csv;header=present;q=0.5, application/json;q=0.1', 'csv'],
  ])('answers Accept %j with %s', (accept, format) => {
    expect(negotiateFormat(undefined, accept)).toBe(format);
  });

  it.each(['text/html', 'application/xml', 'text/csv;q=0', 'text/csv; charset=latin1', 'text/csv;header=absent', 'image/*'])('refuses Accept %j, naming what the route answers', (accept) => {
    expect(() => negotiateFormat(undefined, accept)).toThrow(NotAcceptableError);
    expect(() => negotiateFormat(undefined, accept)).toThrow(/application\/json or text\/csv .*format=json\|csv/);
  });

  const refusal = (accept: string): Error => {
    try {
      negotiateFormat(undefined, accept);
    } catch (error) {
      return error as Error;
    }
    throw new Error(`${accept} was not refused`);
  };

  // A CSV this route cannot write: the detail says why, and what to send instead.
  it.each([
    ['text/csv;header=absent', /text\/csv;header=absent .*every CSV here starts with its header row.*header=absent cannot be met/],
    ['text/csv; charset=latin1', /text\/csv; charset=latin1 .*the only charset is utf-8/],
    ['TEXT/CSV;Charset=ISO-8859-1;q=0.8, text/html', /charset is utf-8/],
    ['text/*;header=absent', /header=absent cannot be met/],
    ['text/csv;foo=bar', /text\/csv;foo=bar .*no parameter foo/],
  ])('refuses Accept %j saying why its CSV cannot be served and what to send', (accept, why) => {
    const error = refusal(accept);
    expect(error).toBeInstanceOf(NotAcceptableError);
    expect(error.message).toMatch(/application\/json or text\/csv .*format=json\|csv/);
    expect(error.message).toMatch(why);
    expect(error.message).toMatch(/send Accept: text\/csv, or add format=csv to the query/);
    expect(error.message).not.toMatch(/allows neither/);
  });

  it('refuses a JSON it cannot write the same way', () => {
    expect(refusal('application/json;charset=latin1').message).toMatch(/the only charset is utf-8.*send Accept: application\/json, or add format=json to the query/);
  });

  it('names two unmet ranges at most, and a long range cut, however long the header', () => {
    const message = refusal(Array.from({ length: 500 }, (_, index) => `text/csv;charset=x${index}`).join(', ') + `, text/csv;foo=${'y'.repeat(300)}`).message;
    expect(message).toMatch(/text\/csv;charset=x0 .*Also, .*text\/csv;charset=x1 .*\(and 499 more such ranges\)\.$/);
    expect(message.length).toBeLessThan(800);
    expect(refusal(`text/csv;foo=${'y'.repeat(300)}`).message).toMatch(/text\/csv;foo=y{27}… cannot be served/);
  });

  it('finds a repeat among many parameters', () => {
    const many = Array.from({ length: 3000 }, (_, index) => `p${index}=1`).join(';');
    expect(refusal(`text/csv;${many};p2999=2`).message).toMatch(/names p2999 more than once/);
  });

  // The blanks around a type, a name or a value were trimmed by /^[ \t]+|[ \t]+$/, tried again at every blank of a run that does
  // not reach the end: quadratic, 0.5 s of blocked event loop for a 16 KB header on any route. Read by index, a run this long is
  // read at once (the quadratic reading of these took minutes: this file's run would hang, not pass in a second).
  it.each([
    ['a type', `a${' '.repeat(300_000)}b`], ['a parameter name', `text/csv;a${' '.repeat(300_000)}b=1`], ['a value', `text/csv;x=a${' \t'.repeat(150_000)}b`],
  ])('reads a long run of blanks inside %s in one pass', (_, accept) => {
    expect(() => negotiateFormat(undefined, accept)).toThrow(NotAcceptableError);
  });

  // Every piece of the header a detail echoes is cut: a 5,000-character q, name or value made a detail of 5,000.
  it.each([
    ['a long q', `text/csv;q=${'9'.repeat(5000)}`], ['a long repeated name', `text/csv;${'n'.repeat(5000)}=1;${'n'.repeat(5000)}=2`],
    ['a long empty name', `text/csv;${'n'.repeat(5000)}=`], ['a long header value', `text/csv;header=${'v'.repeat(5000)}`],
    ['a long unknown name', `text/csv;${'n'.repeat(5000)}=1`], ['a long q of digits and a letter', `text/csv;q=${'1'.repeat(15000)}x`],
    ['a long value of a nameless parameter', `text/csv;=${'v'.repeat(5000)}`], ['a long name with a no-break space', `text/csv;${'n'.repeat(5000)}\u00a0=1`],
  ])('echoes %s cut short', (_, accept) => {
    const error = refusal(accept);
    const text = error instanceof RequestValidationError ? error.errors.map((entry) => entry.message).join(' ') : error.message;
    expect(text).toContain('…');
    expect(text.length).toBeLessThan(600);
  });

  // Cut where negotiator cuts (content-type's scan): a quote opens only where a value starts. Cut at every quote, the
  // first range swallowed the second, whose repeat, empty value or q then went unchecked while negotiator matched it.
  it.each([
    ['text/plain;x=a"b, text/csv;header=present;header=absent', /names header more than once/],
    ['text/plain;x=a"b, text/csv;header=', /gives header no value/],
    ['text/plain;x=a"b, text/csv;header=absent;q=1', /header=absent cannot be met/],
    // An unclosed quote is no parameter to negotiator: this range is q=1 to it, so its empty or repeated header is read.
    ['text/csv;header=;q="0', /gives header no value/],
    ['text/csv;header=present;header=absent;q="0', /names header more than once/],
  ])('reads %j range by range as negotiator does', (accept, message) => {
    expect(refusal(accept).message).toMatch(message);
  });

  it('refuses a bad q behind a quote in an unquoted value, as negotiator would have read it', () => {
    expect(refusal('application/json, text/plain;x=a"b, text/csv;q=1.5')).toBeInstanceOf(RequestValidationError);
    // A quoted value keeps its commas and semicolons, and an unclosed one runs to the end.
    expect(negotiateFormat(undefined, 'text/plain;x="a,b;q=5", text/csv')).toBe('csv');
    expect(negotiateFormat(undefined, 'text/csv;q=0.5, text/html;x="a\\"b, application/json;q=1.5')).toBe('csv');
  });

  it('reads no parameter of a range the client ruled out (q=0)', () => {
    expect(negotiateFormat(undefined, 'application/json, text/csv;q=0;header=')).toBe('json');
    expect(negotiateFormat(undefined, 'application/json, text/csv;q=0;header=present;header=absent')).toBe('json');
  });

  // negotiator keeps the first of a repeated parameter and matches an empty one to an absent one: both got CSV.
  it.each([
    ['text/csv;header=present;header=absent', /names header more than once/],
    ['text/csv; header=present; HEADER=present', /names header more than once/],
    ['text/csv;charset=utf-8;charset=latin1, application/json;q=0.5', /names charset more than once/],
    ['text/csv;header=', /gives header no value/],
    ['text/csv;header=""', /gives header no value/],
    ['text/csv;header', /gives header no value/],
    ['*/*;header=', /gives header no value/],
    ['application/json;charset=', /gives charset no value/],
  ])('refuses Accept %j (a parameter repeated or empty), naming it', (accept, why) => {
    const error = refusal(accept);
    expect(error).toBeInstanceOf(NotAcceptableError);
    expect(error.message).toMatch(why);
    expect(error.message).toMatch(/application\/json or text\/csv .*format=json\|csv/);
  });

  // A parameter with no name (`=x`) is no parameter CSV or JSON has; negotiator matched `text/csv;=*` to CSV and said nothing of `=x`.
  it.each([
    ['text/csv;=x', /text\/csv;=x has a parameter with no name \(=x\)/],
    ['text/csv;=', /text\/csv;= has a parameter with no name/],
    ['text/csv; =x;q=0.5, text/html', /has a parameter with no name/],
    ['text/csv;=*', /has a parameter with no name \(=\*\)/],
    ['*/*;header=present;=1', /has a parameter with no name/],
  ])('refuses Accept %j (a parameter with no name), saying so', (accept, why) => {
    const error = refusal(accept);
    expect(error).toBeInstanceOf(NotAcceptableError);
    expect(error.message).toMatch(why);
    expect(error.message).toMatch(/give each parameter a name/);
    expect(error.message).not.toMatch(/no parameter {2}|gives {2}no value/);
  });

  it('cuts a nameless parameter\'s value at 40 characters', () => {
    expect(refusal(`text/csv;=${'v'.repeat(300)}`).message).toMatch(new RegExp(`\\(=v{40}…\\)`));
  });

  // Only spaces and tabs surround a media type or a parameter (content-type, which negotiator reads with, trims no other): a no-break
  // space or another non-ASCII blank makes the range match nothing. The detail names the character and where it is.
  it.each([
    ['text/csv\u00a0', /text\/csv\\xa0 has a no-break space \(U\+00A0\) after text\/csv/],
    ['\u00a0text/csv', /has a no-break space \(U\+00A0\) before text\/csv/],
    ['text/\u3000csv', /has an ideographic space \(U\+3000\) inside text\/csv/],
    ['\u00a0text/csv\u00a0', /has a no-break space \(U\+00A0\) around text\/csv/],
    ['application/json\ufeff', /has a byte-order mark \(U\+FEFF\) after application\/json/],
    ['text/csv;header=present\u00a0', /has a no-break space \(U\+00A0\) in the value of header/],
    ['text/csv;\u2003charset=utf-8', /has an em space \(U\+2003\) in the parameter name charset/],
    // A no-break space typed into a UTF-8 terminal reaches the server as the bytes C2 A0, each read as a character (Latin-1).
    ['text/csv\u00c2\u00a0', /text\/csv\\xc2\\xa0 has a no-break space \(U\+00A0\) sent as the UTF-8 bytes C2 A0 after text\/csv/],
    // So does every other: a narrow no-break space (U+202F) as E2 80 AF, an ideographic space as E3 80 80, a four-per-em space as E2 80 85
    // (whose last byte, read alone, would be the next-line character U+0085).
    ['text/csv\u00e2\u0080\u00af', /text\/csv\\xe2\\x80\\xaf has a narrow no-break space \(U\+202F\) sent as the UTF-8 bytes E2 80 AF after text\/csv/],
    ['\u00e3\u0080\u0080text/csv', /has an ideographic space \(U\+3000\) sent as the UTF-8 bytes E3 80 80 before text\/csv/],
    ['text/csv;header=present\u00e2\u0080\u00af', /has a narrow no-break space \(U\+202F\) sent as the UTF-8 bytes E2 80 AF in the value of header/],
    ['text/csv\u00e2\u0080\u0085', /has a blank \(U\+2005\) sent as the UTF-8 bytes E2 80 85 after text\/csv/],
    ['application/json\u00ef\u00bb\u00bf', /has a byte-order mark \(U\+FEFF\) sent as the UTF-8 bytes EF BB BF after application\/json/],
    // Named beside a JSON that negotiator would have served, the CSV meant is not silently dropped.
    ['text/csv\u00a0, application/json;q=0.5', /no-break space/],
  ])('refuses Accept %j (a non-ASCII blank in a range that could mean CSV or JSON), naming the character and where', (accept, why) => {
    const error = refusal(accept);
    expect(error).toBeInstanceOf(NotAcceptableError);
    expect(error.message).toMatch(why);
    expect(error.message).toMatch(/only spaces and tabs/);
  });

  // Node reads a header's bytes as Latin-1: echoed as they came, C2 A0 showed as `Â` and a no-break space, unreadable.
  it.each([['text/csv\u00c2\u00a0', 'text/csv\\xc2\\xa0'], ['text/csv;header=present\u202f', 'text/csv;header=present\\u202f'], ['\u00a0text/csv', '\\xa0text/csv']])(
    'echoes Accept %j with its non-ASCII characters escaped', (accept, echo) => {
      const { message } = refusal(accept);
      expect(message).toContain(`Accept header's ${echo} has`);
      expect(message).not.toMatch(/[\u00c2\u00a0\u202f]/);
    },
  );

  // RFC 9110 says nothing of a range given twice with two weights; negotiator took the higher. Refused: "not this" is taken at its word.
  it.each([['text/csv;q=0, text/csv, application/json;q=0.5', 'json'], ['text/csv, text/csv;q=0, application/json;q=0.5', 'json'],
    ['text/csv;Charset=UTF-8;q=0, text/csv;charset=utf-8, application/json;q=0.1', 'json'], ['text/csv;q=0, text/csv;header=present', 'csv']])(
    'answers Accept %j (a range refused and asked for is refused) with %s', (accept, format) => {
      expect(negotiateFormat(undefined, accept)).toBe(format);
    },
  );

  it('refuses Accept "text/csv;q=0, text/csv" (nothing else asked for)', () => {
    expect(refusal('text/csv;q=0, text/csv')).toBeInstanceOf(NotAcceptableError);
  });

  // The 406 said "allows neither", which the header plainly does not say: it asks for CSV, and refuses it.
  it.each([
    ['text/csv;q=0, text/csv', /refuses CSV with text\/csv;q=0 and asks for it with text\/csv\b.*remove text\/csv;q=0 to get CSV, or add format=csv to the query\.$/],
    ['text/csv, text/html, TEXT/CSV;q=0', /refuses CSV with TEXT\/CSV;q=0 and asks for it with text\/csv\b.*remove TEXT\/CSV;q=0/],
    ['application/json;charset=utf-8;q=0, application/json;Charset=UTF-8', /refuses JSON with application\/json;charset=utf-8;q=0 and asks for it with application\/json;Charset=UTF-8.*or add format=json to the query\.$/],
  ])('refuses Accept %j saying the range is both refused (q=0) and asked for, and how to fix it', (accept, why) => {
    const { message } = refusal(accept);
    expect(message).toMatch(why);
    expect(message).not.toMatch(/allows neither/);
  });

  it('says nothing of a range refused and asked for that could not be served anyway', () => {
    const { message } = refusal('text/csv;header=absent;q=0, text/csv;header=absent');
    expect(message).toMatch(/header=absent cannot be met/);
    expect(message).not.toMatch(/asks for it/);
  });

  it('leaves a non-ASCII blank alone in a range ruled out or not answered, and refuses one in a q-value as a malformed q', () => {
    expect(negotiateFormat(undefined, 'text/csv\u00a0;q=0, application/json')).toBe('json');
    expect(negotiateFormat(undefined, 'text/html\u00a0, application/json')).toBe('json');
    const error = refusal('text/csv;q=0.5\u00a0');
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).errors).toEqual([{ field: 'Accept', message: expect.stringMatching(/a no-break space \(U\+00A0\).*a number from 0 to 1/) }]);
  });

  // RFC 9110 §5.6.1: empty list members are ignored, so a header of none is as if absent (the empty header already was).
  it.each([',', ' , ,', ',\t,'])('answers JSON to Accept %j (no media range: as if absent)', (accept) => {
    expect(negotiateFormat(undefined, accept)).toBe('json');
  });

  // A problem+json client reads JSON; offered only where named, so a wildcard does not undo application/json;q=0.
  it.each([['application/problem+json', 'json'], ['application/json, application/problem+json', 'json'], ['text/csv, application/problem+json;q=0.5', 'csv'],
    ['text/csv;q=0.5, application/json;q=0, */*', 'csv'], ['application/problem+json;q=0, text/csv', 'csv'],
    // The errors are UTF-8: a charset named with problem+json is met, as with application/json (final attacker's MEDIUM).
    ['application/problem+json;charset=utf-8', 'json'], ['application/problem+json;charset=UTF-8;q=0.5', 'json']])('answers Accept %j with %s', (accept, format) => {
    expect(negotiateFormat(undefined, accept)).toBe(format);
  });

  // application/problem+json is the type of an error document (RFC 9457): where it is all the Accept takes, JSON itself refused or unmet,
  // a successful answer has no type to go out as (it went out as application/json, which the client had refused).
  it.each(['application/json;q=0, application/problem+json', '*/*;q=0, application/problem+json', 'application/*;q=0, application/problem+json;q=0.5, text/html'])(
    'refuses Accept %j (only problem documents accepted), saying so and what to send', (accept) => {
      const { message } = refusal(accept);
      expect(message).toMatch(/accepts only application\/problem\+json, the type of an error document \(RFC 9457\), which a successful answer is not: send Accept: application\/json.*or add format=json to the query\.$/);
    },
  );

  it.each([['application/json;q=0, application/problem+json, text/csv;q=0.5', 'csv'], ['application/json;q=0.5, application/problem+json, text/csv;q=0.8', 'json'],
    ['text/csv;q=0, application/problem+json', 'json']])('answers Accept %j with %s (problem+json read as JSON only where JSON itself is not refused)', (accept, format) => {
    expect(negotiateFormat(undefined, accept)).toBe(format);
  });

  // RFC 9110's ranking: `*∕*;q=0.8` takes CSV, `application/json;q=0` refuses JSON; a list answers the CSV, a single document (JSON only) a 406.
  it('answers CSV to "*/*;q=0.8, application/json;q=0" on a list, as the ranking says, where a JSON-only route refuses it', () => {
    expect(negotiateFormat(undefined, '*/*;q=0.8, application/json;q=0')).toBe('csv');
    expect(jsonOnlyRefusal('*/*;q=0.8, application/json;q=0')?.message).toMatch(/refuses JSON/);
  });

  it('leaves the parameters of a range it does not answer alone', () => {
    expect(negotiateFormat(undefined, 'text/html;level=;level=2, text/csv')).toBe('csv');
  });

  // A weight is a number from 0 to 1 (RFC 9110 §12.4.2); one that is not, or two in a range, is a 400, as a malformed If-Match is.
  it.each(['text/csv;q=1.5', 'text/csv;q=', 'text/csv;q=abc', 'application/json;q=-1', 'text/csv;q=1.001', 'text/csv;q=1e-1', 'text/csv;q=0x1', 'text/csv;q=0.5;q=1', 'text/html;Q=2, text/csv'])(
    'refuses Accept %j (a malformed q-value) with a 400 naming Accept and the q', (accept) => {
      const error = refusal(accept);
      expect(error).toBeInstanceOf(RequestValidationError);
      expect((error as RequestValidationError).errors).toEqual([{ field: 'Accept', message: expect.stringMatching(/q=.*a number from 0 to 1/) }]);
    },
  );

  it.each([['text/csv;q=1.000', 'csv'], ['text/csv;q=0.001, application/json;q=0', 'csv'], ['text/csv;q=0., application/json;q=1.', 'json'], ['text/csv ; Q=0.5, application/json;q=0.25', 'csv'],
    // Outside RFC 9110's strict form but plain numbers: Java's HttpURLConnection sends the first by default.
    ['text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2', 'json'], ['text/csv;q=.5, application/json;q=.25', 'csv'], ['text/csv;q=0.1234, application/json;q=0.1235', 'json'],
    // Long but plain: a number from 0 to 1 (a cap of 16 characters refused it as "not a q-value").
    ['text/csv;q=0.500000000000000, application/json;q=0.4', 'csv']])(
    'takes the q-value of %j', (accept, format) => {
      expect(negotiateFormat(undefined, accept)).toBe(format);
    },
  );

  it('reads no Accept when the query names the format (its escape hatch)', () => {
    expect(negotiateFormat('csv', 'text/csv;q=1.5')).toBe('csv');
    expect(negotiateFormat('json', 'text/csv;header=;header=absent')).toBe('json');
  });

  it('lets the format in the query decide over the Accept header', () => {
    expect(negotiateFormat('csv', 'application/json')).toBe('csv');
    expect(negotiateFormat('json', 'text/csv')).toBe('json');
    expect(negotiateFormat('csv', 'text/html')).toBe('csv');
  });
});

describe('readAccept (every route reads the Accept with it)', () => {
  it.each([undefined, '', ' ', ',', ' , '])('reads %j as no Accept', (accept) => {
    expect(readAccept(accept)).toBeUndefined();
  });

  it.each(['*/*;q=5', 'application/json;q=2', 'text/html;q=0.5;q=1'])('refuses %j with a 400 naming Accept', (accept) => {
    expect(() => readAccept(accept)).toThrow(RequestValidationError);
  });

  // What real clients send by default: browsers, curl, Java, axios, Python requests, a problem+json client.
  it.each(['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', '*/*', '*; q=.2, */*; q=.2', 'text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2',
    'application/json, text/plain, */*', 'application/problem+json'])('takes %j', (accept) => {
    expect(readAccept(accept)?.length).toBeGreaterThan(0);
  });
});

describe('asksForCsvOnly (a JSON-only GET route refuses these with a 406)', () => {
  it.each(['text/csv', 'text/csv; charset=utf-8', 'TEXT/CSV;charset=latin1', 'text/csv, application/xml', 'text/html, text/csv;q=0.5'])('is true for %j', (accept) => {
    expect(asksForCsvOnly(accept)).toBe(true);
  });

  // q=0 is "not acceptable" (RFC 9110 §12.5.1): JSON refused so, or every application type, leaves CSV alone; a more specific range overrides */*.
  it.each(['text/csv, application/json;q=0', 'text/csv, application/*;q=0', 'text/csv, application/json;q=0.0, */*'])('is true for %j (JSON not acceptable)', (accept) => {
    expect(asksForCsvOnly(accept)).toBe(true);
  });

  it.each(['application/json;q=0.9, text/csv;q=0.1', 'text/csv;q=1.0, application/json;q=0.001', 'text/csv, application/*', 'text/csv, application/json;charset="UTF-8"',
    'text/csv , application/json ; charset=utf-8 ; q=0.5', 'TEXT/CSV, Application/JSON'])('is false for %j (JSON listed beside CSV, with parameters or a q-value)', (accept) => {
    expect(asksForCsvOnly(accept)).toBe(false);
  });

  it.each([undefined, '', '*/*', 'application/json', 'text/csv, application/problem+json', 'text/csv, */*;q=0.1', 'text/csv, application/*;q=0.1', 'text/csv, application/json; charset=utf-8', 'text/csv;q=0', 'text/csv;q=0, application/json', 'text/*', 'text/html'])(
    'is false for %j (JSON allowed, or no CSV named)', (accept) => {
      expect(asksForCsvOnly(accept)).toBe(false);
    },
  );
});

describe('jsonOnlyRefusal (a JSON-only GET route reads an Accept that speaks of JSON as the lists do)', () => {
  it.each([undefined, '', ',', '*/*', 'application/json', 'application/json;charset=UTF-8', 'application/*', 'text/html', 'text/html, */*;q=0.8',
    'text/csv, */*;q=0.1', 'text/*', 'application/problem+json', 'text/html;level=;level=2', 'text/csv\u00a0, application/json;q=0.5', 'text/csv\u00a0;q=0',
    'text/html\u00a0', 'application/problem+json;charset=utf-8', 'application/problem+json;q=0.5;charset=UTF-8'])('answers JSON to %j', (accept) => {
    expect(jsonOnlyRefusal(accept)).toBeUndefined();
  });

  it.each([
    ['*/*;q=0', /refuses JSON \(q=0\)/], ['application/json;q=0', /refuses JSON/], ['application/json;q=0, application/json', /refuses JSON/],
    ['application/json;foo=bar', /application\/json;foo=bar cannot be served: application\/json here has no parameter foo/],
    ['application/json;charset=latin1', /the only charset is utf-8/],
    ['application/json;charset=utf-8;charset=latin1', /names charset more than once/],
    ['application/json;charset=', /gives charset no value/],
    ['application/json\u00a0', /application\/json\\xa0 has a no-break space \(U\+00A0\)/],
    ['application/json\u00e2\u0080\u00af', /has a narrow no-break space \(U\+202F\) sent as the UTF-8 bytes E2 80 AF after application\/json/],
    // application/problem+json is weighed as the lists weigh it, not taken for a yes wherever it is written.
    ['*/*;q=0, application/problem+json;q=0', /refuses JSON/],
    ['application/json;foo=bar;x=application/problem+json', /has no parameter foo/],
    ['text/csv', /only, not CSV/],
    // Only problem documents accepted (RFC 9457: a successful answer is not one): it was answered as application/json, which it refuses.
    ['application/json;q=0, application/problem+json', /accepts only application\/problem\+json, the type of an error document \(RFC 9457\), which a successful answer is not: send Accept: application\/json.*or leave Accept out\.$/],
    ['application/json;q=0, */*;q=0, application/problem+json', /accepts only application\/problem\+json/],
    // A JSON named that cannot be written is not made good by problem+json beside it: the unmet parameter is said.
    ['application/json;charset=latin1, application/problem+json', /application\/json;charset=latin1 cannot be served: the only charset is utf-8/],
    ['application/json;q=0, application/json', /refuses JSON with application\/json;q=0 and asks for it with application\/json\b.*remove application\/json;q=0 to get JSON, or leave Accept out\.$/],
  ])('refuses %j with a 406 saying why', (accept, why) => {
    const error = jsonOnlyRefusal(accept);
    expect(error).toBeInstanceOf(NotAcceptableError);
    expect(error?.message).toMatch(why);
    expect(error?.message).toMatch(/^This route answers application\/json only/);
    expect(error?.message).not.toMatch(/format=/);
  });

  // A CSV asked for with a stray blank matched nothing, so the route answered the JSON the client did not ask for (the lists name the blank).
  it.each([
    ['text/csv\u00a0', "the Accept header's text/csv\\xa0 has a no-break space (U+00A0) after text/csv, so it matches nothing"],
    ['text/csv\u00c2\u00a0', "the Accept header's text/csv\\xc2\\xa0 has a no-break space (U+00A0) sent as the UTF-8 bytes C2 A0 after text/csv, so it matches nothing"],
    ['text/csv;header=present\u202f, text/html', "the Accept header's text/csv;header=present\\u202f has a narrow no-break space (U+202F) in the value of header, so it matches nothing"],
  ])('refuses %j (CSV asked for with a stray blank) naming the blank with the lists\' words', (accept, reason) => {
    const error = jsonOnlyRefusal(accept);
    expect(error).toBeInstanceOf(NotAcceptableError);
    const list = (() => {
      try {
        negotiateFormat(undefined, accept);
      } catch (refused) {
        return (refused as Error).message;
      }
      return '';
    })();
    const stray = `${reason} (only spaces and tabs may surround a media type, a parameter or its value; remove it)`;
    expect([error?.message, list]).toEqual([expect.stringContaining(stray), expect.stringContaining(stray)]);
    expect(error?.message).toMatch(/^This route answers application\/json only, but .*send Accept: application\/json, or leave Accept out\.$/);
  });
});

describe('review of the negotiation: one reading, one detail, on every route', () => {
  const listRefusal = (accept: string): string => {
    try {
      negotiateFormat(undefined, accept);
    } catch (refused) {
      return (refused as Error).message;
    }
    throw new Error(`${accept} was not refused`);
  };

  // L1: CSV asked for beside problem+json, JSON refused: the JSON-only routes' "no CSV here", not "accepts only problem+json".
  it('refuses CSV asked for beside problem+json on a JSON-only route as a CSV request', () => {
    const accept = 'application/json;q=0, application/problem+json, text/csv';
    expect(asksForCsvOnly(accept)).toBe(true);
    expect(jsonOnlyRefusal(accept)?.message).toBe('This route answers application/json only, not CSV (the lists and statistics do); send Accept: application/json or leave Accept out.');
  });

  it('says "accepts only problem+json" of no list given another type it asked for', () => {
    expect(listRefusal('text/event-stream, application/json;q=0, application/problem+json')).not.toMatch(/accepts only application\/problem\+json/);
    expect(listRefusal('text/event-stream, application/json;q=0, application/problem+json'))
      .toMatch(/asks for an event stream with text\/event-stream, and this route has none \(the feed does\): send Accept: application\/json or text\/csv, or add format=json\|csv to the query\.$/);
  });

  // L2: problem+json refused is JSON refused, alike on every route, with a detail that says how to fix it.
  it.each(['application/problem+json;q=0', 'application/problem+json;q=0, application/problem+json'])('refuses %j on JSON-only routes and lists alike', (accept) => {
    const single = jsonOnlyRefusal(accept);
    expect(single).toBeInstanceOf(NotAcceptableError);
    expect(single?.message).toMatch(/application\/problem\+json;q=0.*send Accept: application\/json|remove application\/problem\+json;q=0/);
    const list = listRefusal(accept);
    expect(list).not.toMatch(/allows neither/);
    expect(list).toMatch(/application\/problem\+json;q=0/);
    expect(list).toMatch(/format=json/);
  });

  it('says of problem+json both refused and asked for to remove the refusal', () => {
    const accept = 'application/problem+json;q=0, application/problem+json';
    expect(jsonOnlyRefusal(accept)?.message).toMatch(/refuses JSON with application\/problem\+json;q=0 and asks for it with application\/problem\+json: .*remove application\/problem\+json;q=0 to get JSON, or leave Accept out\.$/);
    expect(listRefusal(accept)).toMatch(/remove application\/problem\+json;q=0 to get JSON, or add format=json to the query\.$/);
  });
});
