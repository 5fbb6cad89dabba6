import { ValidateBy, getMetadataStorage, type ValidationError } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { FieldError } from './request-errors';

/**
 * Turns class-validator's errors into one message per field that says how to fix it. class-validator
 * runs every constraint of a field and reports each one that fails, so a missing statement used to
 * read "must be well-formed Unicode (a surrogate without its pair was sent)" and a satisfaction of
 * "5" listed its range. Here, per field:
 * - absent → "<field> is required: <what it must be>";
 * - of the wrong type, or outside its size or range → "<field> must be <what it must be>", once;
 * - an unknown field → "<field> is not a field; did you mean <known>?" when one is close;
 * - any other failure (a pattern, a code list, control characters) keeps its own message.
 * What a field must be is read from the constraints the DTO declares, so no field needs a message
 * of its own.
 */
export function fieldErrorsOf(errors: readonly ValidationError[], path = ''): FieldError[] {
  const flat: FieldError[] = [];
  for (const error of errors) {
    const field = path ? `${path}.${error.property}` : error.property;
    flat.push(...messagesFor(error, field));
    if (error.children?.length) flat.push(...fieldErrorsOf(error.children, field));
  }
  return flat;
}

/** Constraints that say what kind of value a field takes, and its size or range: one message covers them all. */
const SHAPE_CONSTRAINTS = new Set(['isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isLength', 'min', 'max', 'arrayMinSize', 'arrayMaxSize']);

const SINGLE_VALUE = Symbol('singleValue');

/**
 * What a query parameter takes, for the message that refuses it given more than once (`tag`, `date-time`, `day`):
 * every query parameter takes one value (StrictValidationPipe), and one without this mark is told it takes "one value".
 * `advice` replaces "send <name> once" where there is more to say.
 */
export function SingleValue(what: string, advice?: string): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(SINGLE_VALUE, { what, advice }, target, property);
}

/** The message for a query parameter that takes one value and came `given` times (it arrives as a list). */
export function givenTwiceMessage(target: unknown, property: string, given: number): string {
  const prototype = typeof target === 'function' ? (target as { prototype: object }).prototype : undefined;
  const mark = prototype ? Reflect.getMetadata(SINGLE_VALUE, prototype, property) as { what: string; advice?: string } | undefined : undefined;
  return `${property} takes one ${mark?.what ?? 'value'}, and was given ${given} (${property}=… more than once): ${mark?.advice ?? `send ${property} once`}`;
}

function messagesFor(error: ValidationError, field: string): FieldError[] {
  const constraints = error.constraints ?? {};
  const failed = Object.keys(constraints);
  if (failed.length === 0) return [];
  const declared = error.target ? metadataOf(error.target.constructor) : [];
  if ('whitelistValidation' in constraints) return [{ field, message: unknownFieldMessage(error.property, fieldsOf(error.target?.constructor)) }];
  const expected = expectation(declared.filter((metadata) => metadata.propertyName === error.property));
  if (error.value === undefined) return [{ field, message: expected ? `${error.property} is required: ${expected}` : `${error.property} is required` }];
  if (expected && failed.some((name) => SHAPE_CONSTRAINTS.has(name))) {
    const typeFailed = failed.some((name) => SHAPE_CONSTRAINTS.has(name) && !['isLength', 'min', 'max', 'arrayMinSize', 'arrayMaxSize'].includes(name));
    // A value of the wrong type fails every other check too; only the type is worth saying.
    const others = typeFailed ? [] : failed.filter((name) => !SHAPE_CONSTRAINTS.has(name)).map((name) => constraints[name]!);
    return [{ field, message: `${error.property} must be ${expected}` }, ...others.map((message) => ({ field, message }))];
  }
  return [...new Set(Object.values(constraints))].map((message) => ({ field, message }));
}

/**
 * An unknown field of a body or a query, one message for all: the field meant when one is close,
 * else the fields there are (a query's parameters are its DTO's fields).
 */
export function unknownFieldMessage(property: string, known: readonly string[]): string {
  const meant = closest(property, known);
  if (meant !== undefined) return `${property} is not a field; did you mean ${meant}?`;
  return known.length > 0 ? `property ${property} should not exist; the fields here are ${known.join(', ')}` : `property ${property} should not exist`;
}

/** The fields a DTO class declares (those with a validation rule: every field of the API's DTOs). */
export function fieldsOf(target: unknown): string[] {
  return [...new Set(metadataOf(target).map((metadata) => metadata.propertyName))];
}

function metadataOf(target: unknown): ValidationMetadata[] {
  if (typeof target !== 'function') return [];
  return getMetadataStorage().getTargetValidationMetadatas(target, '', true, false);
}

/** What a field must be, in words, from its declared constraints; undefined when they do not say. */
export function expectation(declared: readonly ValidationMetadata[]): string | undefined {
  const scalar = declared.filter((metadata) => !metadata.each);
  const each = declared.filter((metadata) => metadata.each);
  const find = (list: readonly ValidationMetadata[], name: string) => list.find((metadata) => metadata.name === name);
  if (find(scalar, 'isArray')) {
    const size = range(find(scalar, 'arrayMinSize')?.constraints?.[0], find(scalar, 'arrayMaxSize')?.constraints?.[0]);
    const item = describeValue(each);
    // range says "of at most 20" on its own, and "1–5" without the "of".
    return `a list${size ? ` ${size.startsWith('of ') ? size : `of ${size}`} items` : ''}${item ? `, each ${item}` : ''}`;
  }
  return describeValue(scalar);
}

function describeValue(declared: readonly ValidationMetadata[]): string | undefined {
  const find = (name: string) => declared.find((metadata) => metadata.name === name);
  // A rule that describes its field says so as "<field> must be …" (an identifier, a code, a date, a
  // duration); messages about what a value must not hold ("must not contain control characters") are
  // refusals, not descriptions.
  for (const metadata of declared) {
    const message = typeof metadata.message === 'string' ? /^(?:each of )?(?:\$property|[A-Za-z]+) must be (.+)$/.exec(metadata.message)?.[1] : undefined;
    if (message) return message;
  }
  const isIn = find('isIn');
  if (isIn) return `one of ${(isIn.constraints?.[0] as unknown[]).join(', ')}`;
  if (find('isInt')) {
    const min = find('min')?.constraints?.[0];
    const max = find('max')?.constraints?.[0];
    return `a whole number${typeof min === 'number' && typeof max === 'number' ? ` from ${min} to ${max}` : ` ${range(min, max) ?? ''}`.trimEnd()}`;
  }
  if (find('isBoolean')) return 'true or false';
  if (find('isString')) {
    const length = find('isLength')?.constraints as [number, number] | undefined;
    return length ? `text of ${length[0]}–${length[1]} characters` : 'text';
  }
  return undefined;
}

function range(min: unknown, max: unknown): string | undefined {
  if (typeof min === 'number' && typeof max === 'number') return `${min}–${max}`;
  if (typeof min === 'number') return `of at least ${min}`;
  if (typeof max === 'number') return `of at most ${max}`;
  return undefined;
}

/** The known field a misspelt one most likely meant: same letters ignoring case and separators, or at most 2 edits away. */
export function closest(unknown: string, known: readonly string[]): string | undefined {
  const plain = (name: string) => name.toLowerCase().replace(/[_\-\s.]/g, '');
  const exact = known.find((name) => plain(name) === plain(unknown));
  if (exact) return exact;
  if (unknown.length > 100) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(plain(unknown), plain(name));
    if (distance <= Math.min(2, Math.floor(name.length / 3)) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Edits (insert, delete, replace, swap two neighbours) from a to b: optimal string alignment. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const row = rows[i]!;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}
