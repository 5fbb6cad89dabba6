import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { IsIn, IsOptional, IsString, Length, Matches, getMetadataStorage, validateSync } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { FREE_TEXT_PATTERNS, MEANINGFUL_TEXT_CONSTRAINT, Text } from '../../apps/api/src/complaints/dto/fields';

/*
 * Issue 19: text of spaces alone was accepted by every field whose command had no blank check of its
 * own (a description, an apology statement, repair notes). The rule now sits in the shared Text
 * decorator; this test walks every class that declares class-validator constraints in apps/api,
 * validates each free-text field (a string with no rule of its kind: no code list, no pattern, no
 * date) set to blank values, and fails for one that takes any of them, however it was declared.
 */

const SOURCES = join(__dirname, '../../apps/api/src');

/** Every source of the HTTP app that declares constraints (DTOs, field decorators, a controller's query class). */
function constrainedSources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return constrainedSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && readFileSync(path, 'utf8').includes("from 'class-validator'") ? [path] : [];
  });
}

/** What only says "a string of some length": a field with nothing else is free text. */
const SHAPE = new Set(['isString', 'isLength', 'minLength', 'maxLength', 'isNotEmpty', MEANINGFUL_TEXT_CONSTRAINT]);
const FREE_TEXT_SOURCES = new Set(FREE_TEXT_PATTERNS.map((pattern) => pattern.source));

/** Whether a constraint says what kind of string a field is (a code list, an id pattern, a date …), which makes blank text impossible by itself. */
const isKind = (metadata: ValidationMetadata): boolean => {
  if (metadata.type === 'conditionalValidation' || metadata.type === 'whitelistValidation') return false;
  if (metadata.name === 'matches') return !FREE_TEXT_SOURCES.has((metadata.constraints?.[0] as RegExp).source);
  return !SHAPE.has(metadata.name ?? '');
};

/**
 * Strings that look free to class-validator but are of a kind another layer checks, refusing blank
 * ones with their own rule: each with where. A new entry needs a reason as good as these.
 */
const CHECKED_ELSEWHERE: Record<string, string> = {
  'StartAsOfDto.until': 'a moment or a log position, parsed by the as-of jobs (400 naming the forms it takes)',
  'TagComplaintDto.add[]': 'a tag, folded and matched against TAG_RULE by the domain (400 invalid-tag naming add[i])',
  'TagComplaintDto.remove[]': 'a tag, folded and matched against TAG_RULE by the domain (400 invalid-tag naming remove[i])',
};

/** Blank as a reader sees it: spaces, a no-break space, an ideographic space, zero-width characters, a byte-order mark. */
const BLANKS = ['   ', '\u00a0', ' \u3000\t', '\u200b\u2060', '\ufeff'];

/** The constraints of a class by field: field, or field[] for the rules on each item of a list. */
function fieldsOf(target: Function): Map<string, ValidationMetadata[]> {
  const fields = new Map<string, ValidationMetadata[]>();
  for (const metadata of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
    const key = `${metadata.propertyName}${metadata.each ? '[]' : ''}`;
    fields.set(key, [...(fields.get(key) ?? []), metadata]);
  }
  return fields;
}

/** The free-text fields of a class (a string with no rule of its kind) that lack the shared check, as Class.field. */
function freeTextWithoutCheck(target: Function): string[] {
  return [...fieldsOf(target)]
    .filter(([, list]) => list.some((metadata) => metadata.name === 'isString' || metadata.name === 'isLength') && !list.some(isKind))
    .filter(([, list]) => !list.some((metadata) => metadata.name === MEANINGFUL_TEXT_CONSTRAINT))
    .map(([key]) => `${target.name}.${key}`);
}

/** The fields of a class, of any kind (a pattern can take spaces too), that take one of BLANKS without a complaint, as Class.field: blanks. */
function fieldsTakingBlanks(target: Function): string[] {
  return [...fieldsOf(target)].flatMap(([key, list]) => {
    const property = list[0]!.propertyName;
    const taken = BLANKS.filter((blank) => {
      const instance = Object.assign(Object.create(target.prototype as object) as object, { [property]: key.endsWith('[]') ? [blank] : blank });
      return !validateSync(instance).some((error) => error.property === property);
    });
    return taken.length === 0 ? [] : [`${target.name}.${key}: ${taken.map((blank) => JSON.stringify(blank)).join(' ')}`];
  });
}

/** Every class with constraints, once the sources are loaded (class-validator keeps them in one store, by class). */
function constrainedClasses(): Function[] {
  const storage = getMetadataStorage() as unknown as { validationMetadatas: Map<Function, unknown> };
  expect(storage.validationMetadatas).toBeInstanceOf(Map);
  return [...storage.validationMetadatas.keys()].filter((target) => typeof target === 'function');
}

describe('every free-text field of a request refuses blank text (spaces or invisible characters alone)', () => {
  it('finds a field declared by hand without the check, and lets codes, patterns and Text fields be', () => {
    class Sample {
      @IsString() @Length(1, 100) note!: string;
      @IsOptional() @IsString() remark?: string;
      @IsString() @Matches(/^[a-z]+$/) code!: string;
      @IsString() @Matches(/^[0-9 +]{3,20}$/) phone!: string;
      @IsIn(['a', 'b']) choice!: string;
      @Text(100, { optional: true }) checked?: string;
    }
    expect(freeTextWithoutCheck(Sample)).toEqual(['Sample.note', 'Sample.remark']);
    expect(fieldsTakingBlanks(Sample).map((field) => field.split(':')[0])).toEqual(['Sample.note', 'Sample.remark', 'Sample.phone']);
  });

  it('holds for every DTO of the HTTP app: each free-text field has the shared check, and no field of any kind takes a blank', async () => {
    const sources = constrainedSources(SOURCES);
    expect(sources.length).toBeGreaterThan(10);
    for (const source of sources) await import(source);
    const classes = constrainedClasses().filter((target) => target.name !== 'Sample');
    expect(classes.length).toBeGreaterThan(50);
    const unchecked = (field: string) => !(field.split(':')[0]! in CHECKED_ELSEWHERE);
    expect(classes.flatMap(freeTextWithoutCheck).filter(unchecked)).toEqual([]);
    expect(classes.flatMap(fieldsTakingBlanks).filter(unchecked)).toEqual([]);
  });
});
