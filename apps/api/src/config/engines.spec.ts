import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { PersonalDataEventStore } from '@app/key-store';
import { SqliteIdempotencyStore, SqliteReadStore } from '@app/read-store';
import { ConfigError } from './api-config';
import { FileBlobStore } from '@app/blob-store';
import { openBlobStore, openEngines, openEventStore, openIdempotencyStore, openReadStore } from './engines';

describe('opening the configured engines', () => {
  it('opens the embedded stores by default', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-engines-'));
    try {
      const engines = await openEngines({ dataDir, synchronous: 'FULL', eventStore: { kind: 'sqlite' }, readStore: { kind: 'sqlite' } });
      // The embedded log, read through the personal-data step, with the data keys in a file of their own (docs/adr/0019).
      expect(engines.eventStore).toBeInstanceOf(PersonalDataEventStore);
      expect((engines.eventStore as unknown as { inner: unknown }).inner).toBeInstanceOf(SqliteEventStore);
      expect(existsSync(join(dataDir, 'keys.sqlite'))).toBe(true);
      expect(engines.readStore).toBeInstanceOf(SqliteReadStore);
      await engines.eventStore.close();
      await engines.readStore.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops with one message naming EVENTSTORE_URL, password hidden, when KurrentDB cannot be reached', async () => {
    const opening = openEventStore({ eventStore: { kind: 'kurrentdb', url: 'kurrentdb://admin:hunter2@127.0.0.1:1?tls=false' }, dataDir: tmpdir(), synchronous: 'FULL' });
    const error = await opening.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^EVENTSTORE_URL: cannot reach KurrentDB at kurrentdb:\/\/admin:\*\*\*@127\.0\.0\.1:1/);
    expect((error as Error).message).not.toContain('hunter2');
  }, 30_000);

  it('stops with one message naming MONGODB_URL, password hidden, when MongoDB cannot be reached', async () => {
    const error = await openReadStore({ readStore: { kind: 'mongodb', url: 'mongodb://desk:hunter2@127.0.0.1:1/desk' }, dataDir: tmpdir() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^MONGODB_URL: cannot use MongoDB at mongodb:\/\/desk:\*\*\*@127\.0\.0\.1:1\/desk/);
    expect((error as Error).message).not.toContain('hunter2');
  }, 30_000);

  it('keeps Idempotency-Key answers with the read store: DATA_DIR/api.sqlite by default, for IDEMPOTENCY_TTL_HOURS', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-engines-'));
    try {
      const keys = await openIdempotencyStore({ readStore: { kind: 'sqlite' }, dataDir, idempotencyTtlHours: 2 });
      expect(keys).toBeInstanceOf(SqliteIdempotencyStore);
      expect(keys.ttlMs).toBe(7_200_000);
      await keys.close();
      expect(existsSync(join(dataDir, 'api.sqlite'))).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps attachments with the read store: files under DATA_DIR/blobs by default; MONGODB_URL named, password hidden, when GridFS cannot be reached', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-engines-'));
    try {
      const blobs = await openBlobStore({ readStore: { kind: 'sqlite' }, dataDir });
      expect(blobs).toBeInstanceOf(FileBlobStore);
      const { sha256 } = await blobs.put(Buffer.from('小票'));
      expect(existsSync(join(dataDir, 'blobs', sha256.slice(0, 2), sha256.slice(2, 4), sha256))).toBe(true);
      await blobs.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const error = await openBlobStore({ readStore: { kind: 'mongodb', url: 'mongodb://desk:hunter2@127.0.0.1:1/desk' }, dataDir: tmpdir() }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^MONGODB_URL: cannot use MongoDB at mongodb:\/\/desk:\*\*\*@127\.0\.0\.1:1\/desk/);
    expect((error as Error).message).not.toContain('hunter2');
  }, 30_000);

  it('names MONGODB_URL, password hidden, when the idempotency keys\' MongoDB cannot be reached', async () => {
    const error = await openIdempotencyStore({ readStore: { kind: 'mongodb', url: 'mongodb://desk:hunter2@127.0.0.1:1/desk' }, dataDir: tmpdir(), idempotencyTtlHours: 24 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^MONGODB_URL: cannot use MongoDB at mongodb:\/\/desk:\*\*\*@127\.0\.0\.1:1\/desk/);
    expect((error as Error).message).not.toContain('hunter2');
  }, 30_000);
});
