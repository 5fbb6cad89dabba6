import type { ReadDocument } from '@app/read-store';

/**
 * `document` with `amounts` (dotted path → whole number) added: the rules of ProjectionContext.add.
 * Objects on a changed path are copied, never changed in place; a field that reaches 0 and is not
 * in `initial` is removed; every object of the result has its keys in sorted order. Amounts are whole
 * numbers so that the sums are exact in any order, and the result does not depend on how the
 * additions were grouped into batches.
 */
/*
 * Keys come from events, and some from user input (a question's id, an agent's id): a key is only ever
 * an own field. A name of Object.prototype's members (valueOf, constructor) must not find the member,
 * and __proto__ must be a field, not the prototype; so fields are read with ownField and written with
 * setField, never with obj[key].
 */
const ownField = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
const setField = (target: Record<string, unknown>, key: string, value: unknown): void => {
  // Only __proto__ is an accessor of Object.prototype; any other name, assigned, becomes an own field (defineProperty is slower).
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
};

export function withAmounts(document: ReadDocument, initial: ReadDocument, amounts: Iterable<readonly [string, number]>): ReadDocument {
  const result: Record<string, unknown> = { ...document };
  const copied = new Set<object>([result]);
  for (const [path, amount] of amounts) {
    if (!Number.isInteger(amount)) throw new RangeError(`add: the amount for ${path} is ${amount}, not a whole number`);
    if (!Number.isSafeInteger(amount)) throw new RangeError(`add: the amount for ${path} is ${BigInt(amount)}, past ${Number.MAX_SAFE_INTEGER}, the largest whole number kept exactly`);
    if (amount === 0) continue;
    const keys = path.split('.');
    let target = result;
    let inInitial: unknown = initial;
    for (const key of keys.slice(0, -1)) {
      inInitial = ownField(inInitial, key);
      const inner = ownField(target, key);
      let next: Record<string, unknown>;
      if (inner === undefined) {
        next = {};
      } else if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
        next = copied.has(inner) ? (inner as Record<string, unknown>) : { ...(inner as Record<string, unknown>) };
      } else throw new TypeError(`add: ${path} goes through ${key}, which is not an object`);
      copied.add(next);
      setField(target, key, next);
      target = next;
    }
    const last = keys[keys.length - 1]!;
    const current = ownField(target, last);
    if (current !== undefined && typeof current !== 'number') throw new TypeError(`add: ${path} holds ${typeof current}, not a number`);
    const sum = (current ?? 0) + amount;
    // A sum past 2^53 would be rounded and stored as a wrong figure: fail instead, naming the field.
    if (!Number.isSafeInteger(sum)) {
      throw new RangeError(`add: ${path} would be ${BigInt(current ?? 0) + BigInt(amount)}, past ${Number.MAX_SAFE_INTEGER}, the largest whole number kept exactly`);
    }
    const keep = sum !== 0 || (inInitial !== null && typeof inInitial === 'object' && Object.hasOwn(inInitial, last));
    if (keep) setField(target, last, sum);
    else {
      delete target[last];
      pruneEmpty(result, initial, keys.slice(0, -1));
    }
  }
  return sortedDeep(result) as ReadDocument;
}

/**
 * The value with the keys of every object in it in sorted order: what add writes does not depend on
 * which fields an earlier batch happened to touch (objects already in order are kept as they are).
 */
function sortedDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let items: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const sorted = sortedDeep(value[index]);
      if (sorted !== value[index]) (items ??= value.slice())[index] = sorted;
    }
    return items ?? value;
  }
  // Most objects are in order and unchanged: checked without sorting or copying (this runs on every add, ADR 0011).
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  let inOrder = true;
  for (let index = 1; index < keys.length && inOrder; index += 1) inOrder = compareKeys(keys[index - 1]!, keys[index]!) <= 0;
  let inner: Map<string, unknown> | undefined;
  for (const key of keys) {
    const sorted = sortedDeep(object[key]);
    if (sorted !== object[key]) (inner ??= new Map()).set(key, sorted);
  }
  if (inOrder && inner === undefined) return object;
  // fromEntries defines own fields (a __proto__ key included).
  return Object.fromEntries(keys.sort(compareKeys).map((key) => [key, inner?.has(key) ? inner.get(key) : object[key]]));
}

/** After a removal: objects left empty along `keys` that `initial` does not have go too (as if never made). */
function pruneEmpty(result: Record<string, unknown>, initial: ReadDocument, keys: readonly string[]): void {
  for (let depth = keys.length; depth > 0; depth -= 1) {
    const parents: Array<Record<string, unknown>> = [result];
    let inInitial: unknown = initial;
    for (const key of keys.slice(0, depth)) {
      parents.push(ownField(parents[parents.length - 1], key) as Record<string, unknown>);
      inInitial = ownField(inInitial, key);
    }
    const object = parents[depth]!;
    if (Object.keys(object).length > 0 || inInitial !== undefined) return;
    const parent = parents[depth - 1]!;
    delete parent[keys[depth - 1]!];
  }
}

/** JavaScript's own order of keys: array indexes first, by value, then the others (here by code point). */
function isIndex(key: string): boolean {
  const length = key.length;
  if (length === 0 || length > 9 || (length > 1 && key.charCodeAt(0) === 48 /* 0 */)) return false;
  for (let index = 0; index < length; index += 1) {
    const code = key.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}
function compareKeys(a: string, b: string): number {
  const [indexA, indexB] = [isIndex(a), isIndex(b)];
  if (indexA && indexB) return Number(a) - Number(b);
  if (indexA !== indexB) return indexA ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
