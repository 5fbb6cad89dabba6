import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, type ValidationError } from 'class-validator';
import { CURSOR_RULE, InvalidQueryError } from '@app/read-store';

/** Marks the cursor's check, so that a request whose only fault is its cursor is answered as the store answers one. */
const CURSOR_CONTEXT = { cursor: true } as const;

/**
 * A list's `cursor`: text a cursor can be, checked here before any store reads it. Text that is no cursor at
 * all and a cursor that fails the store's check are one fault to the caller, told with one code and one rule
 * (400 invalid-query, CURSOR_RULE), on every list (docs/adr/0005).
 */
export function CursorField() {
  return applyDecorators(
    ApiPropertyOptional({ description: 'nextCursor of the previous page (same filters).' }),
    IsOptional(),
    Matches(/^[A-Za-z0-9_-]{1,1000}$/, { message: CURSOR_RULE, context: CURSOR_CONTEXT }),
  );
}

/** The store's refusal of a cursor, when every fault the DTO found is a cursor's; otherwise undefined (validation-failed names each field). */
export function cursorRefusal(errors: readonly ValidationError[]): InvalidQueryError | undefined {
  const onlyCursor = errors.length > 0 && errors.every((error) => {
    const failed = Object.keys(error.constraints ?? {});
    return failed.length > 0 && (error.children ?? []).length === 0 && failed.every((name) => (error.contexts?.[name] as { cursor?: unknown } | undefined)?.cursor === true);
  });
  return onlyCursor ? new InvalidQueryError(CURSOR_RULE) : undefined;
}
