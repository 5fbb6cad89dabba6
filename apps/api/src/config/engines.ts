import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventStore, KurrentDbEventStore, SqliteEventStore } from '@app/event-store';
import { MongoReadStore, ReadStore, SqliteReadStore } from '@app/read-store';
import { ConfigError, redactUrl, type ApiConfig } from './api-config';

/** The stores a process works on, opened from the validated configuration. */
export interface Engines {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
}

/**
 * Opens the event store the configuration names. A server that cannot be reached stops the
 * process with one message naming the setting (a ConfigError), not a stack trace.
 */
export async function openEventStore(config: Pick<ApiConfig, 'eventStore' | 'dataDir' | 'synchronous'>): Promise<EventStore> {
  if (config.eventStore.kind === 'sqlite') {
    mkdirSync(config.dataDir, { recursive: true });
    return new SqliteEventStore({ filename: join(config.dataDir, 'events.sqlite'), synchronous: config.synchronous });
  }
  try {
    return await KurrentDbEventStore.connect({ connectionString: config.eventStore.url });
  } catch (error) {
    throw settingError('EVENTSTORE_URL', 'KurrentDB', config.eventStore.url, error);
  }
}

export async function openReadStore(config: Pick<ApiConfig, 'readStore' | 'dataDir'>): Promise<ReadStore> {
  if (config.readStore.kind === 'sqlite') {
    mkdirSync(config.dataDir, { recursive: true });
    return new SqliteReadStore({ filename: join(config.dataDir, 'read.sqlite') });
  }
  try {
    return await MongoReadStore.connect({ url: config.readStore.url });
  } catch (error) {
    throw settingError('MONGODB_URL', 'MongoDB', config.readStore.url, error);
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

export async function openEngines(config: ApiConfig): Promise<Engines> {
  const eventStore = await openEventStore(config);
  try {
    return { eventStore, readStore: await openReadStore(config) };
  } catch (error) {
    await eventStore.close();
    throw error;
  }
}

/** One line for the start-up banner. */
export function describeEngines(config: ApiConfig): string {
  const events = config.eventStore.kind === 'sqlite' ? `SQLite ${join(config.dataDir, 'events.sqlite')} (synchronous=${config.synchronous})` : `KurrentDB ${redactUrl(config.eventStore.url)}`;
  const reads = config.readStore.kind === 'sqlite' ? `SQLite ${join(config.dataDir, 'read.sqlite')}` : `MongoDB ${redactUrl(config.readStore.url)}`;
  return `events: ${events}; read models: ${reads}`;
}
