import { join } from 'node:path';
import { BlobStore, FileBlobStore, GridFsBlobStore } from '@app/blob-store';
import { EventStore, KurrentDbEventStore, SqliteEventStore } from '@app/event-store';
import { KeyStore, MasterKeyWrapping, MongoKeyStore, NoKeyWrapping, PersonalDataCipher, PersonalDataEventStore, SqliteKeyStore } from '@app/key-store';
import { IdempotencyStore, MongoIdempotencyStore, MongoReadStore, ReadStore, SqliteIdempotencyStore, SqliteReadStore } from '@app/read-store';
import { ConfigError, eventLogFile, redactUrl, type ApiConfig } from './api-config';
import { makeDirectories } from '../files/create-once';

/** The stores a process works on, opened from the validated configuration. */
export interface Engines {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  /** The API's Idempotency-Key answers (the API opens them; else the embedded file in DATA_DIR). */
  readonly idempotency?: IdempotencyStore;
  /** The API's attachments (the API opens them; else files under DATA_DIR/blobs). */
  readonly blobs?: BlobStore;
}

/**
 * Opens the event store the configuration names. A server that cannot be reached stops the
 * process with one message naming the setting (a ConfigError), not a stack trace. The embedded
 * store commits on a writer thread where a process answers requests while it writes (the API,
 * docs/adr/0003); a command of the CLI, which has nothing else to do meanwhile, commits on its own.
 */
/**
 * SQLite's page cache, in KiB, of a connection that reads the log in order (the projection threads, an
 * as-of job, the CLI's replay, import and export): each page is read once, so the driver's 16 MB held
 * pages not read again (docs/adr/0011, "Where the replay's memory goes"). The API's own connection,
 * which reads streams for commands, keeps the driver's.
 */
export const LOG_READER_PAGE_CACHE_KB = 2_000;

/** How a process opens the log: on a writer thread or not, and (SQLite) its connection's page cache. */
export interface EventStoreOpening {
  readonly writerThread?: boolean;
  readonly pageCacheKb?: number;
}

export async function openEventStore(config: KeyStoreSettings & Pick<ApiConfig, 'eventStore' | 'synchronous'>, options: EventStoreOpening = {}): Promise<PersonalDataEventStore> {
  const events = await openRawEventStore(config, options);
  try {
    return protectPersonalData(events, await openKeyStore(config));
  } catch (error) {
    await events.close();
    throw error;
  }
}

async function openRawEventStore(config: Pick<ApiConfig, 'eventStore' | 'dataDir' | 'synchronous'>, options: EventStoreOpening): Promise<EventStore> {
  if (config.eventStore.kind === 'sqlite') {
    const filename = eventLogFile(config.dataDir);
    return openFile(config.dataDir, filename, () => new SqliteEventStore({
      filename, synchronous: config.synchronous, writerThread: options.writerThread ?? true, ...(options.pageCacheKb === undefined ? {} : { pageCacheKb: options.pageCacheKb }),
    }));
  }
  try {
    return await KurrentDbEventStore.connect({ connectionString: config.eventStore.url });
  } catch (error) {
    throw settingError('EVENTSTORE_URL', 'KurrentDB', config.eventStore.url, error);
  }
}

/** Where the keys go: with the read store (the embedded one when not said). */
type KeyStoreSettings = Pick<ApiConfig, 'dataDir'> & Partial<Pick<ApiConfig, 'readStore' | 'dataKeyMasterKey'>>;

/**
 * The customers' data keys (docs/adr/0019), with the read models' engine: a collection of the MongoDB
 * database, or `DATA_DIR/keys.sqlite` — never in the event store, whose copies and backups must not
 * hold them. Wrapped by the master key when KEY_STORE_MASTER_KEY is set.
 */
export async function openKeyStore(config: KeyStoreSettings): Promise<KeyStore> {
  const wrapping = !config.dataKeyMasterKey ? new NoKeyWrapping() : new MasterKeyWrapping(Buffer.from(config.dataKeyMasterKey, 'base64'));
  if (config.readStore === undefined || config.readStore.kind === 'sqlite') {
    const filename = join(config.dataDir, 'keys.sqlite');
    return openFile(config.dataDir, filename, () => new SqliteKeyStore({ filename, wrapping }));
  }
  try {
    return await MongoKeyStore.connect({ url: config.readStore.url, wrapping });
  } catch (error) {
    throw settingError('MONGODB_URL', 'MongoDB', config.readStore.url, error);
  }
}

/** The event store every reader uses: personal values decrypted with the key store's keys; closing it closes both. */
export function protectPersonalData(events: EventStore, keys: KeyStore): PersonalDataEventStore {
  return new PersonalDataEventStore(events, new PersonalDataCipher(keys), () => keys.close());
}

export async function openReadStore(config: Pick<ApiConfig, 'readStore' | 'dataDir'>): Promise<ReadStore> {
  if (config.readStore.kind === 'sqlite') {
    const filename = join(config.dataDir, 'read.sqlite');
    return openFile(config.dataDir, filename, () => new SqliteReadStore({ filename }));
  }
  try {
    return await MongoReadStore.connect({ url: config.readStore.url });
  } catch (error) {
    throw settingError('MONGODB_URL', 'MongoDB', config.readStore.url, error);
  }
}

/**
 * Where the API keeps Idempotency-Key answers: with the read models' engine, so every API instance on
 * it shares them — a collection of the MongoDB database, or `DATA_DIR/api.sqlite` beside `read.sqlite`.
 */
export async function openIdempotencyStore(config: Pick<ApiConfig, 'readStore' | 'dataDir' | 'idempotencyTtlHours'>): Promise<IdempotencyStore> {
  const ttlMs = config.idempotencyTtlHours * 3_600_000;
  if (config.readStore.kind === 'sqlite') {
    const filename = join(config.dataDir, 'api.sqlite');
    return openFile(config.dataDir, filename, () => new SqliteIdempotencyStore({ filename, ttlMs }));
  }
  try {
    return await MongoIdempotencyStore.connect({ url: config.readStore.url, ttlMs });
  } catch (error) {
    throw settingError('MONGODB_URL', 'MongoDB', config.readStore.url, error);
  }
}

/**
 * Where the API keeps attachments: with the read models' engine, so every API instance reads the same
 * files — GridFS (bucket `blobs`) in the MongoDB database, or files under `DATA_DIR/blobs`.
 */
export async function openBlobStore(config: Pick<ApiConfig, 'readStore' | 'dataDir'>): Promise<BlobStore> {
  if (config.readStore.kind === 'sqlite') return new FileBlobStore({ dir: join(config.dataDir, 'blobs') });
  try {
    return await GridFsBlobStore.connect({ url: config.readStore.url });
  } catch (error) {
    throw settingError('MONGODB_URL', 'MongoDB', config.readStore.url, error);
  }
}

/** An embedded store's file that cannot be opened (unwritable DATA_DIR, a file that is not SQLite) is named in one line. */
function openFile<T>(dataDir: string, filename: string, open: () => T): T {
  try {
    // One level at a time: Node's recursive mkdir spins for ever under /proc (files/create-once).
    makeDirectories(dataDir);
    return open();
  } catch (error) {
    const message = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
    throw new ConfigError(`DATA_DIR: cannot open ${filename}: ${message}${/not a database|malformed/i.test(message) ? ' (restore it from a backup, or move it away to start empty)' : ''}`);
  }
}

/**
 * The adapters never repeat a URL (it may hold a password); this names the setting and shows the
 * URL without its password after the engine's name: `EVENTSTORE_URL: cannot reach KurrentDB at kurrentdb://admin:***@…`.
 */
function settingError(setting: string, engine: string, url: string, error: unknown): ConfigError {
  const message = error instanceof Error ? error.message : String(error);
  return new ConfigError(`${setting}: ${message.replace(engine, `${engine} at ${redactUrl(url)}`)}`);
}

/** Both stores; if the read store cannot be opened, the event store is closed again. */
export async function openEngines(config: Pick<ApiConfig, 'eventStore' | 'readStore' | 'dataDir' | 'synchronous' | 'dataKeyMasterKey'>, options: EventStoreOpening = {}): Promise<Engines> {
  const eventStore = await openEventStore(config, options);
  try {
    return { eventStore, readStore: await openReadStore(config) };
  } catch (error) {
    await eventStore.close();
    throw error;
  }
}

/** One line for the start-up banner. */
export function describeEngines(config: ApiConfig): string {
  const events = config.eventStore.kind === 'sqlite' ? `SQLite ${eventLogFile(config.dataDir)} (synchronous=${config.synchronous})` : `KurrentDB ${redactUrl(config.eventStore.url)}`;
  const reads = config.readStore.kind === 'sqlite' ? `SQLite ${join(config.dataDir, 'read.sqlite')}` : `MongoDB ${redactUrl(config.readStore.url)}`;
  const files = config.readStore.kind === 'sqlite' ? join(config.dataDir, 'blobs') : 'MongoDB GridFS (bucket blobs)';
  return `events: ${events}; read models: ${reads}; attachments: ${files}`;
}
