import type Database from 'better-sqlite3';
import type { ReadDocument } from '../read-store.port';
import { hasRefusedKey, refused, refuseKey } from '../query-support';

/**
 * Documents without their field names (docs/adr/0011, "Bytes on disk, again"). The SQLite store keeps a
 * document's JSON with each object's keys replaced by the number of its *shape* (its keys in order, kept
 * once in `rm_shapes`) and its values in that order: `{"status":"open","assignee":null}` is `[7,"open",null]`.
 * A read model's documents repeat a few shapes, so the names, a third of a complaint's JSON, are stored
 * once per file instead of once per document. The top-level document leaves out its `id` (the row's key).
 *
 * The text is still JSON, read with one `JSON.parse` and rebuilt into the same object, keys in the same order:
 * - the document: `[shape, …values without the id]`, or `[0, {…}]` when its keys make no shape (an object
 *   of the old format starts with `{`, so a table may hold both: rows are read by what they start with);
 * - inside it, an object is `[shape, …values]` (shape ≥ 1), or a JSON object of encoded values when its
 *   keys make no shape; an array is `[0, …items]`; strings, numbers, booleans and null are themselves.
 * Objects whose keys are not names of fields (a sketch's buckets, `"745": 1`) make no shape (see `shapeable`).
 * Keys or values JSON leaves out (undefined, functions) are left out the same.
 */
const MAX_SHAPE_KEYS = 64;
const ARRAY = 0;

/**
 * Whether an object's keys make a shape: up to MAX_SHAPE_KEYS names of fields, each an ASCII name (a letter, then
 * letters, digits, `_` or `-`). The keys of counts and buckets (`"745"`), or of anything else taken from the data
 * (a customer's name in Chinese, an e-mail address), make none: one shape per set of such keys would fill the
 * table, and `rm_shapes` keeps a key after the document that had it is erased (docs/adr/0019), so only names of
 * fields go there.
 */
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
function shapeable(keys: readonly string[]): boolean {
  if (keys.length === 0 || keys.length > MAX_SHAPE_KEYS) return false;
  for (const key of keys) if (key.length > 64 || !FIELD_NAME.test(key)) return false;
  return true;
}

const skipped = (value: unknown): boolean => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/** Sets a key as JSON.parse would: `__proto__` as an own property, not the prototype. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A key's value where an object has it as its own (as json_extract reads it: `constructor` is nothing), else undefined. */
const own = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string, unknown>)[key] : undefined;

/** Whether a value is stored as something else than itself (an object or an array, encoded) or left out (undefined, a function). */
const changes = (value: unknown): boolean => (value !== null && typeof value === 'object') || skipped(value);

/**
 * A node of the keys seen, key by key (keys are interned strings: a lookup hashes nothing): the shape of the
 * keys that end here (an id, UNSHAPED, or undefined when not yet asked).
 */
interface KeysNode {
  shape?: number;
  readonly next: Map<string, KeysNode>;
}
const UNSHAPED = -1;
/** The nodes kept before the cache of keys starts again (keys taken from the data would make it grow without end). */
const MAX_NODES = 100_000;

export class DocumentShapes {
  private root: KeysNode = { next: new Map() };
  private nodes = 0;
  private readonly keysById = new Map<number, readonly string[]>();
  private readonly insert: Database.Statement;
  private readonly byKeys: Database.Statement;
  private readonly byId: Database.Statement;
  private readonly since: Database.Statement;
  /** Whether the document being encoded holds a refused key (set by the walk, read once it ends). */
  private refusedSeen = false;
  /** The highest shape id `refresh` read: the next reads the ones after it. */
  private highest = 0;

  constructor(db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS rm_shapes (id INTEGER PRIMARY KEY, keys TEXT NOT NULL UNIQUE)');
    this.insert = db.prepare('INSERT INTO rm_shapes (keys) VALUES (?) ON CONFLICT (keys) DO NOTHING');
    this.byKeys = db.prepare('SELECT id FROM rm_shapes WHERE keys = ?');
    this.byId = db.prepare('SELECT keys FROM rm_shapes WHERE id = ?');
    this.since = db.prepare('SELECT id, keys FROM rm_shapes WHERE id > ? ORDER BY id');
  }

  /**
   * Reads the shapes other connections wrote since: before a statement whose SQL functions decode documents
   * (a filter on a field without a column), which cannot read the file while the statement runs.
   */
  refresh(): void {
    for (const row of this.since.all(this.highest) as Array<{ id: number; keys: string }>) {
      this.keysById.set(row.id, JSON.parse(row.keys) as string[]);
      this.highest = row.id;
    }
  }

  /**
   * The stored text of a document. Writes a new shape to `rm_shapes`: call it inside the transaction that writes the document.
   * It also refuses (InvalidDocumentError, through refuseKey) a key at any depth that starts with `$` or holds a dot or NUL, which
   * checkDocument's walk found before: the keys of a shape are names of fields (`shapeable`), so only the keys of an object
   * without a shape, and the ones left out for their value, are looked at. The top level's other rules are checkDocumentTop's.
   */
  encode(document: ReadDocument, collection: string): string {
    this.refusedSeen = false;
    const text = this.encodeDocument(document);
    if (this.refusedSeen) refuseKey(collection, document);
    return text;
  }

  private encodeDocument(document: ReadDocument): string {
    const keys = Object.keys(document);
    const values: unknown[] = [0];
    let present = 0;
    for (const key of keys) {
      const value = document[key];
      if (skipped(value)) {
        if (refused(key)) this.refusedSeen = true;
        continue;
      }
      keys[present++] = key;
      if (key !== 'id') values.push(this.encodeValue(value));
    }
    keys.length = present;
    const shape = this.shapeOf(keys);
    if (shape === UNSHAPED) return JSON.stringify([ARRAY, this.encodeValue(document)]);
    values[0] = shape;
    return JSON.stringify(values);
  }

  /** The document a stored text holds (either format), its id the row's. */
  decode<T extends ReadDocument>(id: string, text: string): T {
    const stored = JSON.parse(text) as unknown;
    if (!Array.isArray(stored)) return stored as T;
    if (stored[0] === ARRAY) return this.decodeValue(stored[1]) as T;
    const keys = this.keysOf(stored[0] as number);
    const document: Record<string, unknown> = {};
    let next = 1;
    // A shape's keys are names of fields (shapeable): none is __proto__.
    for (const key of keys) document[key] = key === 'id' ? id : this.decodeValue(stored[next++]);
    return document as T;
  }

  /**
   * One field of a stored document (a dotted path), for a filter on a field without a column: only the value at
   * the path's first key is decoded, not the whole document (a scan of the collection calls it for every row).
   */
  field(id: string, text: string, path: string): unknown {
    const stored = JSON.parse(text) as unknown;
    const dot = path.indexOf('.');
    const first = dot < 0 ? path : path.slice(0, dot);
    let value: unknown;
    if (!Array.isArray(stored)) value = own(stored, first);
    else if (stored[0] === ARRAY) value = this.decodeValue(own(stored[1], first));
    else if (first === 'id') value = id;
    else {
      const keys = this.keysOf(stored[0] as number);
      let at = 1;
      for (const key of keys) {
        if (key === first) break;
        if (key !== 'id') at += 1;
      }
      value = keys.includes(first) ? this.decodeValue(stored[at]) : undefined;
    }
    if (dot < 0) return value;
    for (const key of path.slice(dot + 1).split('.')) value = own(value, key);
    return value;
  }

  /** Forgets the shapes known: after a transaction that failed, the ones it wrote are not in the file. */
  forget(): void {
    this.root = { next: new Map() };
    this.nodes = 0;
    this.keysById.clear();
    this.highest = 0;
  }

  private encodeValue(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      const items = new Array<unknown>(value.length + 1);
      items[0] = ARRAY;
      for (let index = 0; index < value.length; index += 1) {
        const item: unknown = value[index];
        items[index + 1] = skipped(item) ? null : this.encodeValue(item);
      }
      return items;
    }
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      // The keys checked are the object's own, as checkDocument's walk checks them, not those of what toJSON gives.
      if (hasRefusedKey(value)) this.refusedSeen = true;
      const refusedSeen = this.refusedSeen;
      const encoded = this.encodeValue((value as { toJSON: () => unknown }).toJSON());
      this.refusedSeen = refusedSeen;
      return encoded;
    }
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    // The keys of counts and buckets are numbers, and JavaScript puts such keys first: no shape, and no walk of the cache.
    const first = keys.length > 0 ? keys[0]!.charCodeAt(0) : 0;
    let shape: number;
    if (first >= 48 && first <= 57) shape = UNSHAPED;
    else if (keys.some((key) => skipped(object[key]))) {
      // The keys left out for their value are in no shape: looked at here.
      for (const key of keys) if (skipped(object[key]) && refused(key)) this.refusedSeen = true;
      shape = this.shapeOf(keys.filter((key) => !skipped(object[key])));
    } else shape = this.shapeOf(keys);
    if (shape === UNSHAPED) {
      for (const key of keys) if (refused(key)) this.refusedSeen = true;
      // Kept as an object: itself when none of its values changes (a sketch's buckets), else a copy.
      if (!keys.some((key) => changes(object[key]))) return object;
      const copy: Record<string, unknown> = {};
      for (const key of keys) if (!skipped(object[key])) setKey(copy, key, this.encodeValue(object[key]));
      return copy;
    }
    const values: unknown[] = [shape];
    for (const key of keys) {
      const inner = object[key];
      if (!skipped(inner)) values.push(this.encodeValue(inner));
    }
    return values;
  }

  private decodeValue(value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      if (value[0] === ARRAY) {
        // The parsed array is this read's own: its items move down one place, decoded.
        for (let index = 1; index < value.length; index += 1) value[index - 1] = this.decodeValue(value[index]);
        value.length -= 1;
        return value;
      }
      const keys = this.keysOf(value[0] as number);
      const object: Record<string, unknown> = {};
      for (let index = 0; index < keys.length; index += 1) object[keys[index]!] = this.decodeValue(value[index + 1]);
      return object;
    }
    // An object kept with its keys, parsed by this read: its values decoded in place (an own `__proto__` is a plain property).
    const object = value as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const inner = object[key];
      if (inner !== null && typeof inner === 'object') object[key] = this.decodeValue(inner);
    }
    return object;
  }

  /** The shape of these keys (written to rm_shapes the first time), or UNSHAPED. */
  private shapeOf(keys: readonly string[]): number {
    let node = this.root;
    for (const key of keys) {
      let next = node.next.get(key);
      if (next === undefined) {
        if (this.nodes >= MAX_NODES) this.forget();
        if (node !== this.root && this.nodes === 0) return this.shapeOf(keys);
        node.next.set(key, next = { next: new Map() });
        this.nodes += 1;
      }
      node = next;
    }
    if (node.shape === undefined) {
      if (!shapeable(keys)) node.shape = UNSHAPED;
      else {
        const text = JSON.stringify(keys);
        this.insert.run(text);
        node.shape = (this.byKeys.get(text) as { id: number }).id;
        this.keysById.set(node.shape, [...keys]);
      }
    }
    return node.shape;
  }

  private keysOf(id: number): readonly string[] {
    let keys = this.keysById.get(id);
    if (keys === undefined) {
      // Written by another connection (or before this one opened the file).
      const row = this.byId.get(id) as { keys: string } | undefined;
      if (row === undefined) throw new Error(`read store: a document names shape ${id}, which rm_shapes does not hold`);
      keys = JSON.parse(row.keys) as string[];
      this.keysById.set(id, keys);
    }
    return keys;
  }
}
