import { closest } from './field-errors';

describe('suggesting the field that was meant', () => {
  const known = ['customerId', 'customerName', 'description', 'channel', 'cause'];

  it.each([
    ['customer_id', 'customerId'], ['CustomerID', 'customerId'], ['customer-name', 'customerName'], ['desciption', 'description'], ['chanel', 'channel'], ['casue', 'cause'],
  ])('suggests %s → %s', (unknown, meant) => {
    expect(closest(unknown, known)).toBe(meant);
  });

  it.each(['isAdmin', 'x', 'role', 'c'.repeat(300)])('suggests nothing for %s, which is close to no field', (unknown) => {
    expect(closest(unknown, known)).toBeUndefined();
  });
});
