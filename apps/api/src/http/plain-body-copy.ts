import * as classTransformer from 'class-transformer';
import type { ClassConstructor, ClassTransformOptions } from 'class-transformer';
import type { MetadataStorage } from 'class-transformer/types/MetadataStorage';

// The library's own storage of @Type, @Transform, @Expose and @Exclude, as its decorators fill it.
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as { defaultMetadataStorage: MetadataStorage };
const METADATA = ['_typeMetadatas', '_transformMetadatas', '_exposeMetadatas', '_excludeMetadatas'] as const;

/**
 * Whether class-transformer has nothing to do for `target` but copy: no metadata of its own on the
 * class or a class it extends, and no prototype (below Object's) with anything but its constructor,
 * so that no key of a body can name a method or accessor there.
 */
function copiesOnly(target: Function): boolean {
  const storage = defaultMetadataStorage as unknown as Partial<Record<(typeof METADATA)[number], Map<Function, unknown>>>;
  // Another version of the library, whose storage is kept otherwise: it transforms every class itself.
  if (!METADATA.every((name) => storage[name] instanceof Map)) return false;
  for (let type: Function | null = target; type !== null && type !== Function.prototype; type = Object.getPrototypeOf(type) as Function | null) {
    if (METADATA.some((name) => storage[name]!.has(type!))) return false;
    const names = Object.getOwnPropertyNames(type.prototype ?? {});
    if (names.length !== 1 || names[0] !== 'constructor' || Object.getOwnPropertySymbols(type.prototype ?? {}).length > 0) return false;
  }
  return true;
}

const isPlain = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
};

/** A JSON value copied as class-transformer copies a value with no type: arrays and plain objects at every depth. */
function copyValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyValue);
  return copyKeys(value as Record<string, unknown>, {});
}

function copyKeys<T extends object>(from: Record<string, unknown>, into: T): T {
  const target = into as Record<string, unknown>;
  const prototype = Object.getPrototypeOf(into) as object;
  for (const key of Object.keys(from)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
    if ((descriptor && !descriptor.set) || target[key] instanceof Function) continue;
    target[key] = copyValue(from[key]);
  }
  return into;
}

/** Only JSON's kinds of value at every depth (what a parsed body or query holds): anything else goes to the library. */
function jsonOnly(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype && value.every((item) => jsonOnly(item, depth + 1));
  return isPlain(value) && Object.values(value).every((item) => jsonOnly(item, depth + 1));
}

/**
 * class-transformer's plainToInstance, with its result for a class it would only copy into made here:
 * the same instance (`new T()`, the body's keys in order, the same keys skipped, arrays and objects copied
 * at every depth) without the library's metadata look-ups per key (docs/adr/0003, "The validation pipe's
 * copy"). Everything else (a class with @Type or @Transform, options, a value that is not a plain object of
 * JSON values) is the library's own.
 */
export function plainToInstance<T>(target: ClassConstructor<T>, value: unknown, options?: ClassTransformOptions): unknown {
  const plainOptions = options === undefined || Object.entries(options).every(([name, option]) => option === undefined || (name === 'enableImplicitConversion' && option === false));
  if (plainOptions && value !== null && typeof value === 'object' && !Array.isArray(value) && jsonOnly(value) && copiesOnly(target)) {
    return copyKeys(value as Record<string, unknown>, new target() as object);
  }
  return classTransformer.plainToInstance(target, value, options);
}

/** What Nest's ValidationPipe takes as its transformer (`transformerPackage`). */
export const plainBodyTransformer = { plainToInstance, classToPlain: classTransformer.classToPlain };
