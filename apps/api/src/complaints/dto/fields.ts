import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateBy } from 'class-validator';
import {
  DEPARTMENT_CODE_PATTERN, DEPARTMENT_CODE_RULE, MEANINGFUL_TEXT_RULE, INSTANT_RULE, isDay, isDepartmentCode, isInstant, isMeaningfulText, isReservedCode, principalIdForm, taxonomyCodes, UNASSIGNED_ROW, utcInstantOf, type TaxonomyName,
} from '@app/domain';
import type { ProblemCode } from '../../http/problem';
import { SingleValue } from '../../http/field-errors';

/** C0 controls except tab and line breaks, DEL, and the C1 controls (U+0080–U+009F). */
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$/;
/**
 * The bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069): they
 * reorder how the text around them is shown (a console, a CSV opened in a spreadsheet, a printed
 * trail), so a note could read differently from what is stored. Complaint text has no use for them.
 */
const NO_BIDI_CONTROLS = /^[^\u202A-\u202E\u2066-\u2069]*$/;
/** A surrogate code unit without its pair: JSON's \uD800 escapes can carry one, UTF-8 cannot store it. */
const NO_LONE_SURROGATES = /^\P{Cs}*$/u;

/** The checks every free text passes (Text, and a multipart field through freeTextProblems): the pattern and what to say. */
const FREE_TEXT_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [NO_CONTROL_CHARACTERS, 'must not contain control characters (U+0000–U+001F other than tab and line breaks, U+007F–U+009F); remove them'],
  [NO_LONE_SURROGATES, 'must not contain a surrogate without its pair (not well-formed Unicode); send the text as UTF-8'],
  [NO_BIDI_CONTROLS, 'must not contain bidirectional override or isolate characters (U+202A–U+202E, U+2066–U+2069): they change how the text is shown; remove them'],
];
/** The patterns of FREE_TEXT_RULES: a Matches with one of them is a free-text rule, not a kind of value (test/architecture/free-text-fields.spec.ts). */
export const FREE_TEXT_PATTERNS: readonly RegExp[] = FREE_TEXT_RULES.map(([pattern]) => pattern);

/**
 * A text that shows nothing: spaces alone, or invisible characters alone ("\u200b\u2060" as a damage
 * reason made a repair chargeable; "   " as an apology statement was recorded). One rule for every
 * free text, required or optional, checked here so that no field can forget it (issue 19; the
 * architecture test test/architecture/free-text-fields.spec.ts walks every DTO). The empty string is left to Length.
 */
const showsSomething = (value: unknown): boolean => typeof value !== 'string' || value === '' || isMeaningfulText(value);

/** The name of the constraint, which the architecture test and the problem code look for. */
export const MEANINGFUL_TEXT_CONSTRAINT = 'isMeaningfulText';

/** The check of Text that a text shows something (a search text has it too); blankCode as Text's. */
export function ShowsSomething(blankCode?: ProblemCode) {
  return ValidateBy({ name: MEANINGFUL_TEXT_CONSTRAINT, validator: { validate: showsSomething } }, {
    // A reason is asked for by name: what a blank one lacks is the why.
    message: ({ property }) => `${property} ${property === 'reason' ? 'must say why, and ' : ''}${MEANINGFUL_TEXT_RULE}`,
    ...(blankCode ? { context: { problemCode: blankCode } } : {}),
  });
}

/** Whether a text is blank as Text sees it: empty, spaces alone or invisible characters alone. */
export const isBlankText = (value: string): boolean => value === '' || !showsSomething(value);

/** The same checks as Text for a value that does not come through a DTO (a multipart field), as field errors. */
export function freeTextProblems(field: string, value: string): Array<{ field: string; message: string }> {
  const problems = FREE_TEXT_RULES.filter(([pattern]) => !pattern.test(value)).map(([, rule]) => ({ field, message: `${field} ${rule}` }));
  return isBlankText(value) ? [...problems, { field, message: `${field} ${MEANINGFUL_TEXT_RULE}` }] : problems;
}

/** A taxonomy code, validated against GET /taxonomy. */
export function TaxonomyCode(name: TaxonomyName, options: { optional?: boolean; example?: string; nullable?: boolean; description?: string } = {}) {
  const codes = taxonomyCodes(name);
  const doc = {
    enum: codes, example: options.example ?? codes[0], description: options.description ?? `A ${name} code (see GET /taxonomy).`,
    ...(options.nullable ? { type: String, nullable: true } : {}),
  };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsIn(codes, { message: `$property must be one of the ${name} codes: ${codes.join(', ')}` }),
  );
}

/**
 * Free text with bounded length, well-formed Unicode, no control characters (newlines and tabs
 * allowed), and something to read: spaces or invisible characters alone are refused (isMeaningfulText).
 * `blankCode`: the problem code of a blank value when it is the request's only fault, for a field whose
 * command has long answered a blank with a code of its own (`reason-required` …); otherwise
 * `validation-failed`, like every other fault of a field.
 */
export function Text(maxLength: number, options: { optional?: boolean; example?: string; description?: string; nullable?: boolean; blankCode?: ProblemCode } = {}) {
  const doc = { example: options.example, description: options.description, minLength: 1, maxLength, ...(options.nullable ? { type: String, nullable: true } : {}) };
  return applyDecorators(
    ...(options.optional ? [IsOptional(), ApiPropertyOptional(doc)] : [ApiProperty(doc)]),
    IsString(),
    Length(1, maxLength, { message: `$property must be text of 1–${maxLength} characters` }),
    ...FREE_TEXT_RULES.map(([pattern, rule]) => Matches(pattern, { message: `$property ${rule}` })),
    ShowsSomething(options.blankCode),
  );
}

/** A phone number, optional; the domain checks it (7–15 digits, optionally after + and the country code) and stores the digits. */
export function Phone(options: { nullable?: boolean; example?: string; description?: string } = {}) {
  return Text(40, {
    optional: true, nullable: options.nullable, example: options.example ?? '138 0013 8000',
    description: `A phone number: 7–15 digits, optionally after + and the country code; spaces, hyphens and brackets allowed.${options.description ? ` ${options.description}` : ''}`,
  });
}

/** An e-mail address, optional; the domain checks its form and stores it with its domain in lower case. */
export function Email(options: { nullable?: boolean; example?: string; description?: string } = {}) {
  return Text(254, { optional: true, nullable: options.nullable, example: options.example ?? 'wang.li@example.com', description: options.description ?? 'An e-mail address.' });
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

/**
 * A principal id in a query (?assignee=, ?actor=, ?engineer=): folded as ids are compared
 * (principalIdForm: full-width ｌｉ.ｎａ is li.na, invisible characters go) and then checked as an
 * Identifier, so that it finds the rows the ASCII id finds. One rule for every principal-id filter.
 */
export function PrincipalIdFilter(options: { example?: string; description?: string } = {}) {
  return foldedIdFilter(options.example, `${options.description ?? 'A principal id.'} Compared as principal ids are: letter case and width aside (Li.Na, li.na and ｌｉ.ｎａ are one).`);
}

/**
 * A station (or branch) code in a query (?station=): folded and checked as a principal-id filter is,
 * then read as dispatch reads a code (DirectoryCheck.unitFilter: the directory's spelling of the
 * unit, unitByCode), so DANDONG-STATION finds what dandong-station finds. One rule for every station filter.
 */
export function StationCodeFilter(options: { example?: string; description: string }) {
  return foldedIdFilter(options.example ?? 'dandong-station', `${options.description} Read as dispatch reads a station code: letter case and width aside (DANDONG-STATION, dandong-station and ｄａｎｄｏｎｇ-station are one); a code no unit has is compared as given.`);
}

/**
 * A department code in a query (?department=): read as a station code is (StationCodeFilter), since a
 * department is a unit of the directory, so STATION-OPS finds what station-ops finds, in every list.
 */
export function DepartmentCodeFilter(options: { example?: string; description: string }) {
  return foldedIdFilter(options.example ?? 'station-ops', `${options.description} Read as the directory reads a unit's code: letter case and width aside (STATION-OPS, station-ops and ｓｔａｔｉｏｎ-ops are one, once the directory has the unit); a code no unit has is compared as given.`);
}

function foldedIdFilter(example: string | undefined, description: string) {
  return applyDecorators(
    // The reserved word in any case or width is the statistics' row of not yet assigned (no unit can have it): UNASSIGNED found nothing.
    Transform(({ value }: { value: unknown }) => (typeof value !== 'string' ? value : isReservedCode(value) ? UNASSIGNED_ROW : principalIdForm(value))),
    Identifier({ optional: true, example, description }),
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

/** A day as YYYY-MM-DD (UTC), e.g. the bounds of statistics by day. */
export function Day(options: { description: string; example?: string }) {
  return applyDecorators(
    IsOptional(),
    ApiPropertyOptional({ description: options.description, example: options.example, format: 'date' }),
    SingleValue('day'),
    ValidateBy({ name: 'isDay', validator: { validate: isDay } }, { message: '$property must be a day that exists, as YYYY-MM-DD (e.g. 2026-03-01)' }),
  );
}

/**
 * A moment: a day (its midnight UTC) or a date-time with its offset. Read models keep UTC instants
 * and compare them as text, so the value is turned into one (2026-03-01T08:00:00+08:00 →
 * 2026-03-01T00:00:00.000Z); compared as sent, an offset made the filter wrong by its hours.
 */
export function Instant(options: { description: string; example?: string }) {
  return applyDecorators(
    IsOptional(),
    ApiPropertyOptional({ description: options.description, example: options.example, format: 'date-time' }),
    Transform(({ value }: { value: unknown }) => (isInstant(value) ? utcInstantOf(value) : value)),
    // Given twice in a query, told it takes one date-time (StrictValidationPipe), not the rule both values may keep.
    SingleValue('date-time'),
    ValidateBy({ name: 'isInstant', validator: { validate: (value) => typeof value === 'string' && isInstant(value) } }, {
      message: `$property must be a day YYYY-MM-DD (midnight UTC) or a date-time with its offset (from -12:00 to +14:00, or Z), such as 2026-03-01T08:00:00Z or 2026-03-01T16:00:00+08:00 (${INSTANT_RULE}; send + as %2B in a query string)`,
    }),
  );
}

/**
 * A moment kept as it was sent (occurredAt): a day, or a date-time with its offset, by the rule of every date-time (isInstant);
 * IsISO8601 took any number of digits after the seconds, where the other fields take milliseconds.
 */
export function SentMoment(options: { description: string; example?: string }) {
  return applyDecorators(
    IsOptional(),
    ApiPropertyOptional({ description: options.description, example: options.example, format: 'date-time' }),
    ValidateBy({ name: 'isInstant', validator: { validate: (value) => typeof value === 'string' && isInstant(value) } }, {
      message: `$property must be a date-time with its offset (from -12:00 to +14:00, or Z), such as 2026-03-01T09:30:00+08:00, or a day YYYY-MM-DD (${INSTANT_RULE})`,
    }),
  );
}

/** On a `to` beside a `from`: the period [from, to) must hold something, or the answer is empty for a reason the caller did not mean. */
export function AfterFrom() {
  const moment = (value: string) => Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return ValidateBy({
    name: 'isAfterFrom',
    validator: {
      validate: (value, args) => {
        const from = (args?.object as { from?: unknown } | undefined)?.from;
        if (typeof value !== 'string' || typeof from !== 'string') return true;
        const [start, end] = [moment(from), moment(value)];
        return Number.isNaN(start) || Number.isNaN(end) || end > start;
      },
    },
  }, { message: '$property must be later than from: the period runs from from up to, not including, to' });
}

