import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { cursorRefusal } from './cursor-field';
import { fieldsOf, givenTwiceMessage, unknownFieldMessage } from './field-errors';
import { RequestValidationError } from './request-errors';

/**
 * Nest's ValidationPipe with one gap closed: class-transformer silently skips a key whose name is
 * a method every object inherits (`toString`, `hasOwnProperty`, `valueOf`, `__defineGetter__` …),
 * so `forbidNonWhitelisted` never sees it and the request would pass with the key dropped. No field
 * of the API has such a name, so a body or query carrying one is refused like any unknown field.
 */
export class StrictValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // An array, a string, a number or null is not a command: say so once, not once per missing field.
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata) && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new RequestValidationError([{ field: 'body', message: `the body must be a JSON object of this command's fields (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}); see /docs` }]);
    }
    if ((metadata.type === 'body' || metadata.type === 'query') && metadata.metatype && this.toValidate(metadata)
      && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      // Nested objects too (a contact, a quote's lines): class-transformer skips such a key at every depth.
      const inherited = inheritedKeys(value, '');
      if (inherited.length > 0) {
        // A top-level key is told with the fields of the DTO; a nested one's class is not known here.
        const known = fieldsOf(metadata.metatype);
        throw new RequestValidationError(inherited.map((field) => ({ field, message: unknownFieldMessage(field.split('.').pop()!, field.includes('.') ? [] : known) })));
      }
    }
    if (metadata.type === 'query' && metadata.metatype && this.toValidate(metadata) && value !== null && typeof value === 'object') {
      // Every query parameter takes one value; given more than once it arrives as a list, and is told so (not the
      // rule of its value, which each copy may keep). The rest of the query is still checked, for one answer.
      const known = fieldsOf(metadata.metatype);
      const listed = Object.entries(value).filter(([key, given]) => Array.isArray(given) && known.includes(key));
      if (listed.length > 0) {
        const repeated = listed.map(([key, given]) => ({ field: key, message: givenTwiceMessage(metadata.metatype, key, (given as unknown[]).length) }));
        const rest = Object.fromEntries(Object.entries(value).filter(([key]) => !listed.some(([name]) => name === key)));
        const others = await super.transform(rest, metadata).then(() => [], (error: unknown) => (error instanceof RequestValidationError ? error.errors : []));
        throw new RequestValidationError([...repeated, ...others.filter((error) => !listed.some(([name]) => name === error.field))]);
      }
    }
    return super.transform(value, metadata);
  }
}

/** The pipe every route's body, query and params go through (create-app). */
export const strictValidationPipe = (): StrictValidationPipe => new StrictValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  // The target and value let the messages tell a missing field from a wrong one; neither is ever sent back.
  validationError: { target: true, value: true },
  // A cursor that is no cursor at all is told as one the store did not give (invalid-query), with the same words.
  exceptionFactory: (errors) => cursorRefusal(errors) ?? RequestValidationError.fromClassValidator(errors),
});

/** Keys named like a method every object inherits, at any depth, as dotted paths (lines.0.toString). */
function inheritedKeys(value: object, path: string): string[] {
  return Object.entries(value).flatMap(([key, child]) => {
    const field = `${path}${key}`;
    const here = !Array.isArray(value) && key in Object.prototype ? [field] : [];
    return child !== null && typeof child === 'object' ? [...here, ...inheritedKeys(child as object, `${field}.`)] : here;
  });
}
