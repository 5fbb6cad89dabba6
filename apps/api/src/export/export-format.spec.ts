import { NotAcceptableError } from '../http/request-errors';
import { negotiateFormat } from './export-format';

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
  ])('answers Accept %j with %s', (accept, format) => {
    expect(negotiateFormat(undefined, accept)).toBe(format);
  });

  it.each(['text/html', 'application/xml', 'text/csv;q=0', 'text/csv; charset=latin1', 'image/*'])('refuses Accept %j, naming what the route answers', (accept) => {
    expect(() => negotiateFormat(undefined, accept)).toThrow(NotAcceptableError);
    expect(() => negotiateFormat(undefined, accept)).toThrow(/application\/json or text\/csv .*format=json\|csv/);
  });

  it('lets the format in the query decide over the Accept header', () => {
    expect(negotiateFormat('csv', 'application/json')).toBe('csv');
    expect(negotiateFormat('json', 'text/csv')).toBe('json');
    expect(negotiateFormat('csv', 'text/html')).toBe('csv');
  });
});
