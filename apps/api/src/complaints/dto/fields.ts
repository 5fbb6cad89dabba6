import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import { DEPARTMENT_CODE_PATTERN, DEPARTMENT_CODE_RULE, isDepartmentCode, taxonomyCodes, type TaxonomyName } from '@app/domain';

const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;
/** A surrogate code unit without its pair: JSON's \uD800 escapes can carry one, UTF-8 cannot store it. */
const NO_LONE_SURROGATES = /^\P{Cs}*$/u;

/** A taxonomy code, validated against GET /taxonomy. */
export function TaxonomyCode(name: TaxonomyName, options: { optional?: boolean; example?: string } = {}) {
  const codes = taxonomyCodes(name);
  const doc = { enum: codes, example: options.example ?? codes[0], description: `A ${name} code (see GET /taxonomy).` };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsIn(codes, { message: `$property must be one of the ${name} codes: ${codes.join(', ')}` }),
  );
}

/** Free text with bounded length, well-formed Unicode, and no control characters (newlines and tabs allowed). */
export function Text(maxLength: number, options: { optional?: boolean; example?: string; description?: string } = {}) {
  const doc = { example: options.example, description: options.description, minLength: 1, maxLength };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsString(),
    Length(1, maxLength),
    Matches(NO_CONTROL_CHARACTERS, { message: '$property must not contain control characters' }),
    Matches(NO_LONE_SURROGATES, { message: '$property must be well-formed Unicode (a surrogate without its pair was sent)' }),
  );
}

/** An identifier: letters, digits and . _ - @ : only. */
export function Identifier(options: { optional?: boolean; example?: string; description?: string } = {}) {
  const doc = { example: options.example, description: options.description, pattern: '^[A-Za-z0-9._@:-]{1,100}$' };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsString(),
    Matches(/^[A-Za-z0-9._@:-]{1,100}$/, { message: '$property must be 1–100 letters, digits or . _ - @ :' }),
  );
}

/** A department code (assign, token scopes): never anything that could pass for another kind of name. */
export function DepartmentCode(options: { each?: boolean; example?: string; description?: string } = {}) {
  return applyDecorators(
    ...(options.each ? [] : [ApiProperty({ example: options.example, description: options.description, pattern: DEPARTMENT_CODE_PATTERN })]),
    ValidateBy({ name: 'isDepartmentCode', validator: { validate: (value) => isDepartmentCode(value) } }, {
      each: options.each, message: `${options.each ? 'each of $property' : '$property'} must be ${DEPARTMENT_CODE_RULE}`,
    }),
  );
}
