import { NotAcceptableError } from '../http/request-errors';
import { asksForCsvOnly, negotiateFormat } from './export-format';

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

  it('lets the format in the query decide over the Accept header', () => {
    expect(negotiateFormat('csv', 'application/json')).toBe('csv');
    expect(negotiateFormat('json', 'text/csv')).toBe('json');
    expect(negotiateFormat('csv', 'text/html')).toBe('csv');
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

  it.each([undefined, '', '*/*', 'application/json', 'text/csv, */*;q=0.1', 'text/csv, application/*;q=0.1', 'text/csv, application/json; charset=utf-8', 'text/csv;q=0', 'text/csv;q=0, application/json', 'text/*', 'text/html'])(
    'is false for %j (JSON allowed, or no CSV named)', (accept) => {
      expect(asksForCsvOnly(accept)).toBe(false);
    },
  );
});
