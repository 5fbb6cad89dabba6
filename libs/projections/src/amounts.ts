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
  applyAmounts(result, initial, amounts, (inner) => {
    const next = inner === undefined ? {} : copied.has(inner) ? inner : { ...inner };
    copied.add(next);
    return next;
  });
  return sortedDeep(result) as ReadDocument;
}

/**
 * What withAmounts answers, made by changing `document` itself (docs/adr/0011, tenth step): only for a
 * document whose every object the caller owns (one it parsed, or an ownedCopy), never one a projection
 * built, which may share its parts with constants. Objects whose keys change are put back in order.
 * `ordered`: the caller knows every object of the document has its keys in order already (an ownedCopy,
 * or a document this function has changed before); then only the objects that got a new key are looked
 * at, not every object of the document (its keys listed and compared per batch: the most garbage of a
 * replay's, eleventh step).
 */
export function addInPlace(document: ReadDocument, initial: ReadDocument, amounts: Iterable<readonly [string, number]> | ReadonlyMap<string, number>, ordered = false): void {
  const given: Array<Record<string, unknown>> | undefined = ordered ? [] : undefined;
  applyAmounts(document as Record<string, unknown>, initial, amounts, (inner, next) => inner ?? (isIndex(next) ? sparseObject() : {}), given);
  if (!given) sortInPlace(document);
  else for (const object of given) sortKeysOf(object);
}

/** A deep copy of a JSON value, the keys of every object in sorted order (as sortedDeep has them): the caller owns all of it. */
export function ownedCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(ownedCopy);
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  if (!inOrder(keys)) keys.sort(compareKeys);
  // Empty (a sketch's buckets in an initial document) or keyed by numbers: its keys will be numbers from the data.
  const copy: Record<string, unknown> = keys.length === 0 || isIndex(keys[0]!) ? sparseObject() : {};
  for (const key of keys) setField(copy, key, ownedCopy(object[key]));
  return copy;
}

/**
 * An empty object whose index keys V8 keeps in a dictionary from the first one. A new object given the
 * index 950 (a sketch's bucket) gets an array of about 1,400 slots, 7 kB, where a dictionary of a few
 * keys takes a few hundred bytes; a key stored past the gap V8 allows (1,024) makes the dictionary, and
 * deleting it leaves it. JSON.parse makes the same for such keys, so only the runtime's own objects
 * needed it (docs/adr/0011, fifteenth step). Keys and bytes are the same either way: index keys by value.
 */
const FAR_INDEX = 1 << 20;
function sparseObject(): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  object[FAR_INDEX] = 0;
  delete object[FAR_INDEX];
  return object;
}

/**
 * Adds the amounts to `result`, each object on a changed path first passed through `own` (a copy, or
 * itself); each object given a key it did not have is pushed to `given` (when there is one): only those
 * can be out of order afterwards. Not for an index key (a sketch's bucket): JavaScript keeps those in order itself. A Map's amounts are visited with forEach: its iterator makes an array
 * per entry.
 */
function applyAmounts(
  result: Record<string, unknown>, initial: ReadDocument, amounts: Iterable<readonly [string, number]> | ReadonlyMap<string, number>,
  own: (inner: Record<string, unknown> | undefined, next: string) => Record<string, unknown>, given?: Array<Record<string, unknown>>,
): void {
  const addOne = (amount: number, path: string) => {
    if (!Number.isInteger(amount)) throw new RangeError(`add: the amount for ${path} is ${amount}, not a whole number`);
    if (!Number.isSafeInteger(amount)) throw new RangeError(`add: the amount for ${path} is ${BigInt(amount)}, past ${Number.MAX_SAFE_INTEGER}, the largest whole number kept exactly`);
    if (amount === 0) return;
    const keys = pathKeys(path);
    let target = result;
    let inInitial: unknown = initial;
    for (let depth = 0; depth < keys.length - 1; depth += 1) {
      const key = keys[depth]!;
      inInitial = ownField(inInitial, key);
      const inner = ownField(target, key);
      let next: Record<string, unknown>;
      if (inner === undefined || (inner !== null && typeof inner === 'object' && !Array.isArray(inner))) {
        next = own(inner as Record<string, unknown> | undefined, keys[depth + 1]!);
      } else throw new TypeError(`add: ${path} goes through ${key}, which is not an object`);
      if (next !== inner) {
        if (inner === undefined && !isIndex(key)) given?.push(target);
        setField(target, key, next);
      }
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
    if (keep) {
      if (current === undefined && !isIndex(last)) given?.push(target);
      setField(target, last, sum);
    } else {
      delete target[last];
      pruneEmpty(result, initial, keys.slice(0, -1));
    }
  };
  if (amounts instanceof Map) amounts.forEach(addOne);
  else for (const [path, amount] of amounts as Iterable<readonly [string, number]>) addOne(amount, path);
}

/**
 * The keys of a dotted path, split once per path: a replay adds to the same few thousand paths (the
 * counters and sketch buckets) millions of times. Bounded: past its size it starts again.
 */
const splitPaths = new Map<string, readonly string[]>();
const SPLIT_PATHS_KEPT = 50_000;
function pathKeys(path: string): readonly string[] {
  let keys = splitPaths.get(path);
  if (keys === undefined) {
    if (splitPaths.size >= SPLIT_PATHS_KEPT) splitPaths.clear();
    splitPaths.set(path, (keys = path.split('.')));
  }
  return keys;
}

/** Puts the keys of every object in `value` in sorted order, in place (objects already in order are left alone). */
function sortInPlace(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) sortInPlace(item);
    return;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  for (const key of keys) sortInPlace(object[key]);
  sortKeysOf(object, keys);
}

/** Puts the keys of one object in sorted order, in place (not those of the objects in it). */
function sortKeysOf(object: Record<string, unknown>, keys = Object.keys(object)): void {
  if (inOrder(keys)) return;
  const values = keys.map((key) => object[key]);
  const order = keys.map((_, index) => index).sort((a, b) => compareKeys(keys[a]!, keys[b]!));
  for (const key of keys) delete object[key];
  for (const index of order) setField(object, keys[index]!, values[index]);
}

function inOrder(keys: readonly string[]): boolean {
  for (let index = 1; index < keys.length; index += 1) if (compareKeys(keys[index - 1]!, keys[index]!) > 0) return false;
  return true;
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
  const ordered = inOrder(keys);
  let inner: Map<string, unknown> | undefined;
  for (const key of keys) {
    const sorted = sortedDeep(object[key]);
    if (sorted !== object[key]) (inner ??= new Map()).set(key, sorted);
  }
  if (ordered && inner === undefined) return object;
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
