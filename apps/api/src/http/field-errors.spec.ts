import { ArrayMaxSize, IsArray, IsOptional, IsString, validateSync } from 'class-validator';
import { closest, fieldErrorsOf } from './field-errors';

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

describe('what a list must be', () => {
  class Tagged {
    @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true })
    tags?: unknown;
  }

  it('says "a list of at most 20 items", never "of of"', () => {
    const tagged = Object.assign(new Tagged(), { tags: 'urgent' });
    expect(fieldErrorsOf(validateSync(tagged))).toEqual([{ field: 'tags', message: 'tags must be a list of at most 20 items, each text' }]);
  });
});
