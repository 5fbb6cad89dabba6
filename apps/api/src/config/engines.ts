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
    throw new ConfigError(`EVENTSTORE_URL: ${(error as Error).message}`);
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
    throw new ConfigError(`MONGODB_URL: ${(error as Error).message}`);
  }
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
