import 'reflect-metadata';
import * as classTransformer from 'class-transformer';
import * as commands from '../complaints/dto/complaint-commands.dto';
import { ListComplaintsQueryDto } from '../read-models/query.dto';
import { plainToInstance } from './plain-body-copy';
import { strictValidationPipe } from './strict-validation.pipe';

const OPTIONS = { enableImplicitConversion: false };
const dtos = Object.values(commands).filter((value): value is new () => object => typeof value === 'function');

/** The instance as a comparable value: its class, its own keys in order, every value at every depth with its prototype. */
const shape = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return { array: value.map(shape) };
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name: string } } | null;
  return { class: prototype?.constructor?.name ?? null, keys: Object.keys(value), values: Object.values(value).map(shape) };
};

const nullPrototype = (entries: Record<string, unknown>) => Object.assign(Object.create(null) as object, entries);
const BODIES: unknown[] = [
  {},
  { statement: '非常抱歉', channel: 'phone' },
  { reason: 'ok', evidence: 'log.pdf', extra: 1 },
  { department: 'station-ops', assignee: 'zhang.wei', note: null },
  { resolutionClass: 'immediate', remedy: 'refund', customerAccepted: true, rootCause: 'x' },
  { outcome: 'satisfied', satisfaction: 5 },
  { customerId: 'c-1', channel: 'phone', cause: 'service', description: 'd', contact: { phone: '138', email: null, nested: { deep: [1, 'two', { three: 3 }] } }, tags: ['a', 'b'] },
  { toString: 'x', valueOf: 1, hasOwnProperty: true, constructor: 'c', reason: 'r' },
  { nested: { toString: 'x', isPrototypeOf: 1, kept: 2 }, list: [{ valueOf: 1, kept: true }, [], [[null]]] },
  nullPrototype({ reason: 'from a query', more: nullPrototype({ a: '1' }) }),
  { then: 'not a promise', reason: 'r' },
  { level: 2, to: 'qa', reason: 'r', customerAccepted: 'yes', satisfaction: '5' },
];

describe('the validation pipe copies a body into a DTO without class-transformer where that is all it would do', () => {
  it('gives what class-transformer gives, for every complaint command DTO and every kind of body', () => {
    for (const dto of dtos) {
      for (const body of BODIES) {
        expect(shape(plainToInstance(dto, body, OPTIONS))).toEqual(shape(classTransformer.plainToInstance(dto, body, OPTIONS)));
      }
    }
  });

  it('leaves a DTO with transforms, options and values that are not JSON to class-transformer', () => {
    const library = jest.spyOn(classTransformer, 'plainToInstance');
    try {
      plainToInstance(ListComplaintsQueryDto, nullPrototype({ limit: '5' }), OPTIONS);
      plainToInstance(commands.ValidateComplaintDto, { reason: 'r' }, { ...OPTIONS, excludeExtraneousValues: true });
      plainToInstance(commands.ValidateComplaintDto, { reason: new Date(0) }, OPTIONS);
      plainToInstance(commands.ValidateComplaintDto, [{ reason: 'r' }], OPTIONS);
      expect(library).toHaveBeenCalledTimes(4);
      library.mockClear();
      plainToInstance(commands.ValidateComplaintDto, { reason: 'r' }, OPTIONS);
      expect(library).not.toHaveBeenCalled();
    } finally {
      library.mockRestore();
    }
  });

  it('the pipe every route uses takes the copy, and answers as before', async () => {
    const library = jest.spyOn(classTransformer, 'plainToInstance');
    try {
      const pipe = strictValidationPipe();
      const valid = await pipe.transform({ reason: 'Pump 3 meter log shows a shortfall.' }, { type: 'body', metatype: commands.ValidateComplaintDto });
      expect(valid).toBeInstanceOf(commands.ValidateComplaintDto);
      expect(library).not.toHaveBeenCalled();
      await expect(pipe.transform({ reason: 'r', unknown: 1 }, { type: 'body', metatype: commands.ValidateComplaintDto })).rejects.toThrow();
    } finally {
      library.mockRestore();
    }
  });
});
