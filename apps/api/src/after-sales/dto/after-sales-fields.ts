import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsInt, IsObject, IsOptional, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import {
  DEPARTMENT_CODE_PATTERN, DEPARTMENT_CODE_RULE, MAX_MINOR_UNITS, SERIAL_NUMBER_RULE, INSTANT_RULE, afterSalesCodes, canonicalSerialNumber, isCurrencyCode, isDepartmentCode, isInstant, isLocalDate,
  isSerialNumber, parseDuration, type AfterSalesTaxonomyName,
} from '@app/domain';
import { Text } from '../../complaints/dto/fields';

interface FieldOptions {
  readonly optional?: boolean;
  readonly example?: unknown;
  readonly description?: string;
}

const documented = (options: FieldOptions, doc: Record<string, unknown>) =>
  (options.optional ? [IsOptional(), ApiPropertyOptional({ ...doc, example: options.example, description: options.description })]
    : [ApiProperty({ ...doc, example: options.example, description: options.description })]);

/** A code of an after-sales table, validated against GET /taxonomy/after-sales. */
export function AfterSalesCode(name: AfterSalesTaxonomyName, options: FieldOptions & { readonly each?: { min: number; max: number } } = {}) {
  const codes: string[] = afterSalesCodes(name);
  const description = options.description ?? `A ${name} code (see GET /taxonomy/after-sales).`;
  if (options.each) {
    return applyDecorators(
      ...documented({ ...options, description }, { type: [String], enum: codes, minItems: options.each.min, maxItems: options.each.max, uniqueItems: true }),
      IsArray(), ArrayMinSize(options.each.min), ArrayMaxSize(options.each.max),
      IsIn(codes, { each: true, message: `each of $property must be one of the ${name} codes: ${codes.join(', ')}` }),
    );
  }
  return applyDecorators(
    ...documented({ ...options, description }, { enum: codes }),
    IsIn(codes, { message: `$property must be one of the ${name} codes: ${codes.join(', ')}` }),
  );
}

/** A plain code (service units, regions, engineers, skills, surveys): the department-code rule, as a station's code may scope a token. */
export function PlainCode(options: FieldOptions & { readonly each?: { min: number; max: number } } = {}) {
  const validate = ValidateBy({ name: 'isPlainCode', validator: { validate: (value) => isDepartmentCode(value) } }, {
    each: options.each !== undefined, message: `${options.each ? 'each of $property' : '$property'} must be ${DEPARTMENT_CODE_RULE}`,
  });
  if (options.each) {
    return applyDecorators(
      ...documented(options, { type: [String], minItems: options.each.min, maxItems: options.each.max, items: { type: 'string', pattern: DEPARTMENT_CODE_PATTERN } }),
      IsArray(), ArrayMinSize(options.each.min), ArrayMaxSize(options.each.max), validate,
    );
  }
  return applyDecorators(...documented(options, { pattern: DEPARTMENT_CODE_PATTERN }), validate);
}

/** A local date (YYYY-MM-DD) that exists: installation dates, warranty starts, the day a warranty is judged on. */
export function LocalDate(options: FieldOptions = {}) {
  return applyDecorators(
    ...documented(options, { format: 'date' }),
    ValidateBy({ name: 'isLocalDate', validator: { validate: (value) => isLocalDate(value) } }, { message: '$property must be a date that exists, written YYYY-MM-DD (e.g. 2026-03-02), from 1900 on' }),
  );
}

/** A moment with its time and offset (a visit is at a time of day, not on a day). */
export function DateTime(options: FieldOptions = {}) {
  return applyDecorators(
    ...documented(options, { format: 'date-time' }),
    ValidateBy({ name: 'isDateTime', validator: { validate: (value) => typeof value === 'string' && value.length > 10 && isInstant(value) } }, {
      message: `$property must be a date-time with its offset (from -12:00 to +14:00, or Z), such as 2026-03-03T09:00:00+08:00 (${INSTANT_RULE})`,
    }),
  );
}

/** An ISO 8601 duration in weeks, days, hours, minutes or seconds (P30D). */
export function Duration(options: FieldOptions = {}) {
  return applyDecorators(
    ...documented(options, { pattern: '^P' }),
    ValidateBy({ name: 'isDuration', validator: { validate: (value) => typeof value === 'string' && value.length <= 40 && (parseDuration(value) ?? 0) > 0 } }, {
      message: '$property must be a positive ISO 8601 duration in weeks, days, hours, minutes or seconds, such as P30D or PT36H',
    }),
  );
}

/** A serial number as the customer writes it (any case, spaces around), made canonical before it is checked. */
export function SerialNumber(options: FieldOptions = {}) {
  return applyDecorators(
    ...documented(options, { description: `${options.description ?? 'The serial number.'} Trimmed and upper-cased; then ${SERIAL_NUMBER_RULE}.`, maxLength: 64 }),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.length <= 200 ? canonicalSerialNumber(value) : value)),
    ValidateBy({ name: 'isSerialNumber', validator: { validate: (value) => isSerialNumber(value) } }, { message: `$property must be ${SERIAL_NUMBER_RULE}` }),
  );
}

/** A whole number in a range. */
export function WholeNumber(minimum: number, maximum: number, options: FieldOptions = {}) {
  return applyDecorators(...documented(options, { type: 'integer', minimum, maximum }), IsInt(), Min(minimum), Max(maximum));
}

/** One nested object of a DTO class, validated field by field (unknown keys inside refused too). */
export function Nested(type: () => new () => object, options: FieldOptions = {}) {
  return applyDecorators(
    // Swagger knows a lazy type by its name ("type"), which an arrow defined here has.
    ...documented(options, { type: () => type() }),
    ...(options.optional ? [] : [IsDefined()]),
    // ValidateNested alone takes a list (of no or valid items) for the object.
    IsObject({ message: '$property must be an object' }),
    ValidateNested(), Type(type),
  );
}

/** A list of nested objects, each validated. */
export function NestedList(type: () => new () => object, size: { min: number; max: number }, options: FieldOptions = {}) {
  return applyDecorators(
    ...documented(options, { type: () => [type()], minItems: size.min, maxItems: size.max }),
    IsArray(), ArrayMinSize(size.min), ArrayMaxSize(size.max), ValidateNested({ each: true }), Type(type),
  );
}

/** An amount: integer minor units of an ISO 4217 currency, never a float (12800 CNY is ¥128.00). */
export class MoneyDto {
  @ApiProperty({ example: 'CNY', description: 'ISO 4217 code, upper case (CNY, USD, EUR, JPY …).', pattern: '^[A-Z]{3}$' })
  @ValidateBy({ name: 'isCurrencyCode', validator: { validate: (value) => isCurrencyCode(value) } }, {
    message: '$property must be an ISO 4217 currency code, three upper-case letters, e.g. CNY, USD, EUR, JPY',
  })
  currency!: string;

  @WholeNumber(1, MAX_MINOR_UNITS, {
    example: 12800, description: 'Whole minor units of the currency (fen for CNY: 12800 is ¥128.00); never a decimal; at most 10^12 in any currency (CNY 10,000,000,000.00).',
  })
  minorUnits!: number;
}

/** A name in both languages of the product. */
export class LabelDto {
  @Text(200, { example: '丹东服务站' })
  'zh-CN'!: string;

  @Text(200, { example: 'Dandong service station' })
  en!: string;
}
