import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsObject, IsOptional, Max, Min, ValidateBy, ValidateNested } from 'class-validator';
import { INSTANT_RULE, customerFileCodes, isInstant, type CustomerFileTaxonomyName } from '@app/domain';
import { Day, Text } from '../../complaints/dto/fields';

/*
 * Fields of the customer-file commands. Shapes, types and sizes are checked here; the domain checks
 * the rest (a phone number's digits, a month that has begun, segments that agree) and names the
 * field in its 400. In an update, a field left out stays as it is and null clears it: every
 * optional field takes null.
 */

/** A code of the customer-file tables (GET /taxonomy/customer-files). */
export function FileCode(name: CustomerFileTaxonomyName, options: { optional?: boolean; example?: string; description?: string } = {}) {
  const codes = customerFileCodes(name);
  const doc = { type: String, enum: codes, example: options.example ?? codes[0], description: options.description ?? `A ${name} code (see GET /taxonomy/customer-files).` };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional({ ...doc, nullable: true })] : [ApiProperty(doc)]),
    IsIn(codes, { message: `$property must be one of the ${name} codes: ${codes.join(', ')}` }),
  );
}

/** A whole number in a range. */
export function Count(options: { min: number; max: number; optional?: boolean; example?: number; description?: string }) {
  const doc = { type: 'integer' as const, minimum: options.min, maximum: options.max, example: options.example, description: options.description };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional({ ...doc, nullable: true })] : [ApiProperty(doc)]),
    IsInt(),
    Min(options.min),
    Max(options.max),
  );
}

export function Flag(options: { optional?: boolean; example?: boolean; description?: string } = {}) {
  const doc = { type: Boolean, example: options.example, description: options.description };
  return applyDecorators(...(options.optional ? [IsOptional(), ApiPropertyOptional({ ...doc, nullable: true })] : [ApiProperty(doc)]), IsBoolean());
}

/** A nested object of a DTO class, validated field by field (unknown keys refused). */
export function Nested(type: () => new () => object, options: { optional?: boolean; description?: string } = {}) {
  // A property named type, so that @nestjs/swagger knows the function for a lazy type (it goes by that name).
  const doc = { type: () => type(), description: options.description };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional({ ...doc, nullable: true })] : [ApiProperty(doc)]),
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    Type(type),
  );
}

/** A list of nested objects. */
export function NestedList(type: () => new () => object, options: { max: number; optional?: boolean; description?: string }) {
  const doc = { type: () => type(), isArray: true, maxItems: options.max, description: options.description };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsArray(),
    ArrayMaxSize(options.max),
    ValidateNested({ each: true }),
    Type(type),
  );
}

/** Free text of a customer file: a blank one keeps the code the file's commands give it (`blank-text`). */
export function FileText(maxLength: number, options: Omit<Parameters<typeof Text>[1] & object, 'blankCode'> = {}) {
  return Text(maxLength, { ...options, blankCode: 'blank-text' });
}

/** Text an update may clear: text, or null to clear it; left out, it stays as it is. */
export function ClearableText(maxLength: number, options: { example?: string; description?: string } = {}) {
  return applyDecorators(FileText(maxLength, { ...options, optional: true }), ApiPropertyOptional({ type: String, nullable: true }));
}

/** A day an update may clear (YYYY-MM-DD, or null). */
export function ClearableDay(options: { description: string; example?: string }) {
  return applyDecorators(Day(options), ApiPropertyOptional({ type: String, nullable: true }));
}

/** A moment as the domain takes it: a day or a date-time with its offset (stored in UTC). */
export function Moment(options: { example?: string; description?: string }) {
  return applyDecorators(
    ApiProperty({ type: String, format: 'date-time', example: options.example, description: options.description }),
    ValidateBy({ name: 'isInstant', validator: { validate: (value) => typeof value === 'string' && isInstant(value) } }, {
      message: `$property must be a day YYYY-MM-DD or a date-time with its offset (from -12:00 to +14:00, or Z), such as 2026-03-01T16:00:00+08:00 (${INSTANT_RULE})`,
    }),
  );
}

/** An amount of fuel with its unit. */
export class VolumeDto {
  @ApiProperty({ type: Number, minimum: 0, maximum: 1e12, example: 12000, description: 'At most three decimals.' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1e12)
  amount!: number;

  @FileCode('volumeUnit', { example: 'litre' })
  unit!: string;
}
