import 'reflect-metadata';
import { IsInt, IsString, ValidateNested, getMetadataStorage, validateSync } from 'class-validator';
import { Type, plainToInstance } from 'class-transformer';
import { memoizeValidationMetadata } from './validation-metadata-memo';

class Line {
  @IsString() sku!: string;
}

class Order {
  @IsString() note!: string;
  @ValidateNested({ each: true }) @Type(() => Line) lines!: Line[];
}

class UrgentOrder extends Order {
  @IsInt() priority!: number;
}

const options = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true };
const failures = (type: new () => object, body: object) => validateSync(plainToInstance(type, body), options)
  .flatMap(function flat(error): string[] { return [...Object.keys(error.constraints ?? {}).map((rule) => `${error.property}:${rule}`), ...(error.children ?? []).flatMap(flat)]; })
  .sort();

describe('class-validator rules remembered per class (memoizeValidationMetadata)', () => {
  const bodies: Array<[new () => object, object]> = [
    [Order, { note: 'ok', lines: [{ sku: 'a' }] }],
    [Order, { note: 1, lines: [{ sku: 2, extra: true }], unknown: 'x' }],
    [UrgentOrder, { note: 'ok', lines: [], priority: 'high' }],
    [UrgentOrder, { note: 'ok', lines: [{}], priority: 1 }],
  ];

  it('finds exactly what the library finds, inherited rules and nested objects included, and looks each class up once', () => {
    const before = bodies.map(([type, body]) => failures(type, body));
    expect(before[1]).toEqual(['note:isString', 'sku:isString', 'extra:whitelistValidation', 'unknown:whitelistValidation'].sort());
    memoizeValidationMetadata();
    memoizeValidationMetadata();
    expect(bodies.map(([type, body]) => failures(type, body))).toEqual(before);
    const storage = getMetadataStorage();
    const rules = storage.getTargetValidationMetadatas(UrgentOrder, '', false, false);
    expect(storage.getTargetValidationMetadatas(UrgentOrder, '', false, false)).toBe(rules);
    expect(rules.map((rule) => rule.propertyName).sort()).toEqual(['lines', 'note', 'priority']);
  });

  it('sees a rule added after the first validation (a module loaded later)', () => {
    memoizeValidationMetadata();
    expect(failures(Line, { sku: 'a' })).toEqual([]);
    IsInt()(Line.prototype, 'count');
    expect(failures(Line, { sku: 'a', count: 'many' })).toEqual(['count:isInt']);
    expect(failures(Order, { note: 'ok', lines: [{ sku: 'a', count: 1.5 }] })).toEqual(['count:isInt']);
  });
});
