import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
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
      const inherited = Object.keys(value).filter((key) => key in Object.prototype);
      if (inherited.length > 0) {
        throw new RequestValidationError(inherited.map((key) => ({ field: key, message: `property ${key} should not exist` })));
      }
    }
    return super.transform(value, metadata);
  }
}
