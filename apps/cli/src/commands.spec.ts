import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ComplaintCommandExecutor, ComplaintRepository, SystemClock, type CommandContext } from '@app/complaints';
import { DEFAULT_SLA_POLICY, InvalidAccessCommandError, type Actor } from '@app/domain';
import { chainHash, chainStart } from '@app/event-sourcing';
import { SqliteEventStore, type EventToAppend } from '@app/event-store';
import { ProjectionRunner, generationFor, generationOf, processSpace } from '@app/projections';
import { ALL_PROJECTIONS, AsOfCatalogue, asOfPrefix } from '@app/read-models';
import { SqliteReadStore, generationCollection, type ReadStore } from '@app/read-store';
import { createHash } from 'node:crypto';
import { runEntry } from '../../../test/support/run-entry';
import { exportEvents, exportSummary, importEvents, importSummary, importTarget, replayLive, replayUntil, requireInputFile, checkReason, checkTokenIssue, verifyAll, AsOfRefusedError, ImportError } from './commands';

async function contentHash(store: ReadStore, prefix?: string): Promise<string> {
  const hash = createHash('sha256');
  for (const projection of ALL_PROJECTIONS) {
    for (const spec of projection.collections) {
      let cursor: string | undefined;
      do {
        const page = await store.find(generationCollection(generationFor(projection, prefix), spec.name), { sort: [{ field: 'id', direction: 'asc' }], limit: 1000, cursor });
        for (const document of page.items) hash.update(`${spec.name}\n${JSON.stringify(document)}\n`);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
  }
  return hash.digest('hex');
}

const actor: Actor = { id: 'sup', role: 'supervisor' };
const context = (): CommandContext => ({ commandId: randomUUID(), correlationId: 'c', causationId: 'c', actor });

async function history(store: SqliteEventStore, complaints: number): Promise<string[]> {
  const executor = new ComplaintCommandExecutor(store, new ComplaintRepository(store), new SystemClock());
  const ids: string[] = [];
  for (let index = 0; index < complaints; index += 1) {
    const { id } = await executor.execute({ type: 'ReceiveComplaint', complaintId: randomUUID(), data: { customerId: `c${index}`, channel: 'web', cause: 'price', description: 'd', policy: DEFAULT_SLA_POLICY } }, context());
    await executor.execute({ type: 'ValidateComplaint', complaintId: id, data: { reason: 'ok' } }, context());
    ids.push(id);
  }
  return ids;
}

describe('command line: verify, export, import', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips an export into an empty store with the same hashes and positions', async () => {
    const source = new SqliteEventStore({ filename: join(dir, 'a.sqlite') });
    await history(source, 5);
    const lines: string[] = [];
    expect(await exportEvents(source, async (line) => { lines.push(line); }, {})).toBe(10);
    writeFileSync(join(dir, 'events.ndjson'), lines.join(''));
    const target = new SqliteEventStore({ filename: join(dir, 'b.sqlite') });
    await expect(importEvents(target, join(dir, 'events.ndjson'))).resolves.toEqual({ events: 10, streams: 5, positionsKept: true, trailer: 'matched' });
    const [before, after] = [await source.readAll(), await target.readAll()];
    expect(after.map((event) => [event.position, event.eventId, event.metadata['hash']])).toEqual(before.map((event) => [event.position, event.eventId, event.metadata['hash']]));
    const readModels = async (events: SqliteEventStore) => {
      const readStore = new SqliteReadStore({ filename: ':memory:' });
      const runner = new ProjectionRunner(events, readStore, ALL_PROJECTIONS);
      await runner.start();
      await runner.caughtUp();
      await runner.stop();
      return contentHash(readStore);
    };
    expect(await readModels(target)).toBe(await readModels(source));
    await expect(importEvents(target, join(dir, 'events.ndjson'))).rejects.toBeInstanceOf(ImportError);
    await source.close();
    await target.close();
  });

  it('exports only what the filters select', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const [first] = await history(store, 3);
    const lines: string[] = [];
    await exportEvents(store, async (line) => { lines.push(line); }, { stream: `complaint-${first}`, type: 'ComplaintValidated' });
    // The events, then the export's trailer (its own test below).
    expect(lines.slice(0, -1).map((line) => JSON.parse(line).type)).toEqual(['ComplaintValidated']);
    await store.close();
  });

  it('refuses an import whose chain does not verify', async () => {
    const source = new SqliteEventStore({ filename: ':memory:' });
    await history(source, 1);
    const lines: string[] = [];
    await exportEvents(source, async (line) => { lines.push(line); }, {});
    const tampered = lines.map((line) => line.replace('"reason":"ok"', '"reason":"changed"'));
    writeFileSync(join(dir, 'bad.ndjson'), tampered.join(''));
    await expect(importEvents(new SqliteEventStore({ filename: ':memory:' }), join(dir, 'bad.ndjson'))).rejects.toThrow(/does not verify at revision 1/);
    await source.close();
  });

  it('writes nothing when a line of the file is bad, wherever it is: the same store then takes the whole file', async () => {
    const source = new SqliteEventStore({ filename: ':memory:' });
    await history(source, 3);
    const lines: string[] = [];
    await exportEvents(source, async (line) => { lines.push(line); }, {});
    writeFileSync(join(dir, 'events.ndjson'), lines.join(''));
    const target = new SqliteEventStore({ filename: join(dir, 'target.sqlite') });
    // A file cut short (a copy interrupted), an event of the wrong shape, an event moved, the chain changed at the end: each found before anything is written.
    const bad: ReadonlyArray<readonly [string, string, RegExp]> = [
      ['cut.ndjson', lines.join('').slice(0, lines.slice(0, 4).join('').length + 40), /line 5: not JSON/],
      ['shape.ndjson', [...lines.slice(0, 5), JSON.stringify({ ...JSON.parse(lines[5]!), revision: 1.5 }) + '\n'].join(''), /line 6: not an exported event \(revision must be a whole number from 0\)/],
      ['no-data.ndjson', [...lines.slice(0, 5), JSON.stringify({ ...JSON.parse(lines[5]!), data: null }) + '\n'].join(''), /line 6: not an exported event/],
      // Which field is wrong, and what to do.
      ['no-type.ndjson', [...lines.slice(0, 5), JSON.stringify({ ...JSON.parse(lines[5]!), type: undefined }) + '\n'].join(''), /line 6: not an exported event \(type must be a string\): not an export, or an edited one; export again/],
      ['array.ndjson', [...lines.slice(0, 5), '[1, 2]\n'].join(''), /line 6: not an exported event \(an exported event is a JSON object\)/],
      ['gap.ndjson', [...lines.slice(0, 4), ...lines.slice(5)].join(''), /does not verify at revision 0: an event is missing or out of order/],
      ['tampered.ndjson', [...lines.slice(0, 5), lines[5]!.replace('"reason":"ok"', '"reason":"changed"')].join(''), /does not verify at revision 1/],
    ];
    for (const [name, text, message] of bad) {
      writeFileSync(join(dir, name), text);
      await expect(importEvents(target, join(dir, name))).rejects.toThrow(message);
      expect(await target.headPosition()).toBe(0);
    }
    await expect(importEvents(target, join(dir, 'events.ndjson'))).resolves.toEqual({ events: 6, streams: 3, positionsKept: true, trailer: 'matched' });
    await source.close();
    await target.close();
  });

  it('refuses a directory given as the file with a message that says so, writing nothing', async () => {
    const target = new SqliteEventStore({ filename: ':memory:' });
    // With -s: without it npm writes its banner to stdout, into the file, and the import refuses it.
    await expect(importEvents(target, dir)).rejects.toThrow(new ImportError(`${dir} is a directory: give the file an export wrote (npm run -s cli -- export > events.ndjson)`));
    expect(await target.headPosition()).toBe(0);
    await target.close();
  });

  it('checks an input file in one place, for import and import-cfpb alike: missing, or a directory, each with its hint', () => {
    expect(() => requireInputFile(join(dir, 'missing.ndjson'), 'export')).toThrow(new ImportError(`no such file: ${join(dir, 'missing.ndjson')}`));
    expect(() => requireInputFile(dir, 'export')).toThrow(new ImportError(`${dir} is a directory: give the file an export wrote (npm run -s cli -- export > events.ndjson)`));
    expect(() => requireInputFile(dir, 'cfpb')).toThrow(new ImportError(`${dir} is a directory: give a CFPB extract (.csv or .csv.gz)`));
    writeFileSync(join(dir, 'present.ndjson'), '');
    expect(() => requireInputFile(join(dir, 'present.ndjson'), 'export')).not.toThrow();
  });

  it('prints no progress line with a count that is not the log\'s (a small store printed "verify: 1 event" first)', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await history(store, 3);
    const written: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => { written.push(String(text)); return true; });
    try {
      expect(await verifyAll(store, {})).toMatchObject({ ok: true, events: 6 });
    } finally {
      stderr.mockRestore();
    }
    const counts = written.join('').split(/[\r\n]/).map((line) => /verify: ([\d,]+) events?/.exec(line)?.[1]).filter((count) => count !== undefined);
    expect(counts.length).toBeGreaterThan(0);
    expect(counts).toEqual(counts.map(() => '6'));
    await store.close();
  });

  it('catches a whole chain rewritten consistently only against saved head hashes', async () => {
    const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite') });
    const [victim] = await history(store, 3);
    const heads = join(dir, 'heads.json');
    expect(await verifyAll(store, { writeHeads: heads })).toMatchObject({ ok: true, streams: 3, events: 6 });
    expect(Object.keys(JSON.parse(readFileSync(heads, 'utf8')))).toHaveLength(3);

    // The attacker rebuilds the victim's stream from scratch with a different decision and a fresh, consistent chain.
    const stream = `complaint-${victim}`;
    const original = await store.readStream(stream);
    let previous = chainStart(stream);
    const forged: EventToAppend[] = original.map((event) => {
      const data = event.type === 'ComplaintValidated' ? { ...event.data, reason: 'forged' } : event.data;
      // A careful forger keeps the hashed event id equal to the stored one (verify checks that they agree).
      const eventId = randomUUID();
      const { hash: _hash, ...kept } = event.metadata;
      const audited = { ...kept, eventId };
      previous = chainHash(previous, { type: event.type, data, metadata: audited });
      return { eventId, type: event.type, data, metadata: { ...audited, hash: previous } };
    });
    const rewritten = new SqliteEventStore({ filename: join(dir, 'rewritten.sqlite') });
    for (const event of await store.readAll()) {
      if (event.stream !== stream) await rewritten.append(event.stream, [{ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }]);
    }
    await rewritten.append(stream, forged, { expectedRevision: 'no_stream' });

    expect((await verifyAll(rewritten, {})).ok).toBe(true);
    const checked = await verifyAll(rewritten, { heads });
    expect(checked.ok).toBe(false);
    expect(checked.broken).toEqual([expect.objectContaining({ stream, revision: 1 })]);
    await store.close();
    await rewritten.close();
  });
});

/** An export's lines as the CLI writes them: the events, then the trailer. */
async function exportLines(store: SqliteEventStore, filter: { from?: string; to?: string; stream?: string; type?: string } = {}): Promise<string[]> {
  const lines: string[] = [];
  await exportEvents(store, async (line) => { lines.push(line); }, filter);
  return lines;
}

describe('command line: a token request checked before anything is made', () => {
  const admin: Actor = { id: 'cli:root', role: 'admin' };
  const now = new Date('2026-06-01T00:00:00Z');

  it.each([
    ['the reserved word as a department', { principal: 'li.na', role: 'agent', departments: ['UNASSIGNED'] }, /departments "UNASSIGNED" is reserved/],
    ['a department that is no plain code', { principal: 'li.na', role: 'agent', departments: ['ops/billing'] }, /each department must be a plain code/],
    ['departments that differ only in letter case', { principal: 'li.na', role: 'agent', departments: ['Billing', 'billing'] }, /departments "Billing" and "billing" differ only in letter case/],
    ['departments for a role that sees every one', { principal: 'li.na', role: 'analyst', departments: ['billing'] }, /analysts see every department/],
    ['a principal id of the shell\'s own form', { principal: 'cli:root', role: 'admin' }, /must not start with cli:/],
    ['an empty reason', { principal: 'li.na', role: 'agent', reason: '' }, /^reason must be text of 1–500 characters$/],
    ['a reason of spaces alone', { principal: 'li.na', role: 'agent', reason: ' \u00a0' }, /^reason must say why, and must not be blank: write something a reader can see/],
    ['a reason of invisible characters alone', { principal: 'li.na', role: 'agent', reason: '\u200b\u2060' }, /^reason must say why, and must not be blank/],
    ['a reason of 501 characters', { principal: 'li.na', role: 'agent', reason: 'x'.repeat(501) }, /^reason must be text of 1–500 characters$/],
    ['a reason with a control character', { principal: 'li.na', role: 'agent', reason: 'New\u0000hire' }, /^reason must not contain control characters/],
  ])('refuses %s, as the decider does on any log', (_name, request, message) => {
    expect(() => checkTokenIssue({ reason: 'New hire', ...request }, admin, now)).toThrow(InvalidAccessCommandError);
    expect(() => checkTokenIssue({ reason: 'New hire', ...request }, admin, now)).toThrow(message);
  });

  it('takes a reason the API takes: 500 characters, or one visible character', () => {
    expect(() => checkTokenIssue({ principal: 'li.na', role: 'agent', reason: 'x'.repeat(500) }, admin, now)).not.toThrow();
    expect(() => checkReason('.')).not.toThrow();
  });

  it.each([['', /^reason must be text of 1–500 characters$/], ['   ', /^reason must say why, and must not be blank/], ['y'.repeat(600), /^reason must be text of 1–500 characters$/]])(
    'refuses the reason %j of a revocation or an acknowledgement as POST /access/tokens/{id}/revoke does',
    (reason, message) => {
      expect(() => checkReason(reason)).toThrow(InvalidAccessCommandError);
      expect(() => checkReason(reason)).toThrow(message);
    },
  );

  it('takes a request whose departments only the directory can judge', () => {
    expect(() => checkTokenIssue({ principal: 'li.na', role: 'agent', departments: ['no-such-unit'], reason: 'New hire' }, admin, now)).not.toThrow();
    expect(() => checkTokenIssue({ principal: 'li.na', role: 'admin', reason: 'New hire' }, admin, now)).not.toThrow();
  });
});

describe('command line: an export says where it ends, and an import refuses a file cut short', () => {
  let dir: string;
  let source: SqliteEventStore;
  let target: SqliteEventStore;
  let lines: string[];
  let events: string[];
  let trailer: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-trailer-'));
    source = new SqliteEventStore({ filename: ':memory:' });
    await history(source, 3);
    lines = await exportLines(source);
    events = lines.slice(0, -1);
    trailer = lines[lines.length - 1]!;
    target = new SqliteEventStore({ filename: join(dir, 'target.sqlite') });
  });
  afterEach(async () => {
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string, text: string | Buffer) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  /** Refused with this message, and nothing written: the same store then takes the whole export. */
  const refused = async (path: string, message: RegExp, options: { withoutTrailer?: boolean } = {}) => {
    await expect(importEvents(target, path, options)).rejects.toThrow(message);
    await expect(importEvents(target, path, options)).rejects.toBeInstanceOf(ImportError);
    expect(await target.headPosition()).toBe(0);
  };
  const EXPORT_AGAIN = /export again \(npm run -s cli -- export > events\.ndjson/;

  it('ends an export with one trailer line that counts its events and streams and hashes every line before it', () => {
    expect(events).toHaveLength(6);
    expect(trailer.endsWith('\n')).toBe(true);
    expect(JSON.parse(trailer)).toEqual({
      trailer: {
        format: 'complaint-desk-export', version: 2, events: 6, streams: 3, lastPosition: 6, filter: {},
        // The lines, then the trailer's own fields but the digest: an edit of its counts or its filter is told too.
        sha256: createHash('sha256').update(events.join('')).update(JSON.stringify({ format: 'complaint-desk-export', version: 2, events: 6, streams: 3, lastPosition: 6, filter: {} })).digest('hex'),
      },
    });
  });

  it('gives a filtered export its trailer too, which records the filter', async () => {
    const stream = JSON.parse(events[2]!).stream as string;
    const filtered = await exportLines(source, { stream, type: 'ComplaintValidated', from: '2000-01-01T00:00:00.000Z' });
    expect(filtered).toHaveLength(2);
    expect(JSON.parse(filtered[0]!)).toMatchObject({ stream, type: 'ComplaintValidated' });
    expect(JSON.parse(filtered[1]!).trailer).toMatchObject({
      events: 1, streams: 1, lastPosition: 4, filter: { stream, type: 'ComplaintValidated', from: '2000-01-01T00:00:00.000Z' },
      // The filter's fields in a fixed order (from, to, stream, type), whatever order the file gives them in.
      sha256: createHash('sha256').update(filtered[0]!).update(JSON.stringify({
        format: 'complaint-desk-export', version: 2, events: 1, streams: 1, lastPosition: 4, filter: { from: '2000-01-01T00:00:00.000Z', stream, type: 'ComplaintValidated' },
      })).digest('hex'),
    });
  });

  it('covers the trailer\'s filter by its digest: a filtered export whose filter was edited away is refused, not imported whole', async () => {
    const filtered = await exportLines(source, { to: '9999-01-01T00:00:00.000Z' });
    const fields = JSON.parse(filtered[filtered.length - 1]!).trailer as Record<string, unknown>;
    const unfiltered = `${JSON.stringify({ trailer: { ...fields, filter: {} } })}\n`;
    await refused(file('unfiltered.ndjson', [...filtered.slice(0, -1), unfiltered].join('')), /the file's lines and its trailer's fields do not hash to the sha256 in its trailer: a line or the trailer \(its counts, last position or filter\) was changed/);
  });

  it('refuses a trailer of version 1 (its digest covered the lines only, not the filter), saying to export again', async () => {
    const fields = JSON.parse(trailer).trailer as Record<string, unknown>;
    const old = `${JSON.stringify({ trailer: { ...fields, version: 1, sha256: createHash('sha256').update(events.join('')).digest('hex') } })}\n`;
    await refused(file('v1.ndjson', [...events, old].join('')), /line 7: the export's trailer is of version 1, whose digest does not cover its filter, so a filtered export could pass for a whole one; this release writes version 2: export again/);
    await refused(file('v1.ndjson', [...events, old].join('')), EXPORT_AGAIN);
  });

  it('round-trips the whole export and says the trailer matched', async () => {
    await expect(importEvents(target, file('events.ndjson', lines.join('')))).resolves.toEqual({ events: 6, streams: 3, positionsKept: true, trailer: 'matched' });
  });

  it('refuses an export cut at a line\'s end (the trailer, or the trailer and events, gone), naming --without-trailer for older exports', async () => {
    for (const [name, kept] of [['no-trailer.ndjson', events], ['half.ndjson', events.slice(0, 3)], ['first.ndjson', events.slice(0, 1)]] as const) {
      await refused(file(name, kept.join('')), /has no trailer at its end: it was cut short .* --without-trailer/);
      await refused(file(name, kept.join('')), EXPORT_AGAIN);
    }
    // Cut by its last byte only: the trailer without the newline that ends it.
    await refused(file('last-byte.ndjson', lines.join('').slice(0, -1)), /ends inside its trailer line \(no newline after it\): it was cut short/);
    // Its trailer read whole, so the newline alone is missing: the command the refusal gives puts it back, and the file imports whole.
    const message = await importEvents(target, join(dir, 'last-byte.ndjson')).then(() => '', (error: { message: string }) => error.message);
    const command = /add the newline \((.*)\) and import that/.exec(message)?.[1];
    expect(command).toBeDefined();
    expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
    await expect(importEvents(target, join(dir, 'last-byte.ndjson.ended'))).resolves.toMatchObject({ events: 6, trailer: 'matched' });
  });

  it('refuses an export with a whole stream left out, though every chain left verifies', async () => {
    const gone = JSON.parse(events[0]!).stream as string;
    const kept = events.filter((line) => JSON.parse(line).stream !== gone);
    expect(kept).toHaveLength(4);
    await refused(file('stream-gone.ndjson', [...kept, trailer].join('')), /the trailer counts 6 events in 3 streams, the file holds 4 events in 2 streams: lines were left out/);
    await refused(file('stream-gone.ndjson', [...kept, trailer].join('')), EXPORT_AGAIN);
  });

  it('refuses an export with one line removed (the last event of a stream: its chain still verifies)', async () => {
    await refused(file('line-gone.ndjson', [...events.slice(0, 5), trailer].join('')), /the trailer counts 6 events in 3 streams, the file holds 5 events in 3 streams/);
    await refused(file('line-gone.ndjson', [...events.slice(0, 5), trailer].join('')), EXPORT_AGAIN);
  });

  it('refuses an export whose trailer was edited, or whose lines no longer hash to it', async () => {
    const fields = JSON.parse(trailer).trailer as Record<string, unknown>;
    const edited = (change: Record<string, unknown>) => `${JSON.stringify({ trailer: { ...fields, ...change } })}\n`;
    const otherDigest = createHash('sha256').update('something else').digest('hex');
    await refused(file('digest.ndjson', [...events, edited({ sha256: otherDigest })].join('')), /the file's lines and its trailer's fields do not hash to the sha256 in its trailer: a line or the trailer \(its counts, last position or filter\) was changed, left out or added/);
    // A line removed and the trailer's counts lowered to match: the digest still tells.
    await refused(file('recounted.ndjson', [...events.slice(0, 5), edited({ events: 5 })].join('')), /do not hash to the sha256 in its trailer/);
    await refused(file('count.ndjson', [...events, edited({ events: 7 })].join('')), /the trailer counts 7 events in 3 streams, the file holds 6 events in 3 streams/);
    // The digest covers the trailer's fields too (version 2), so an edited last position no longer hashes.
    await refused(file('position.ndjson', [...events, edited({ lastPosition: 9 })].join('')), /do not hash to the sha256 in its trailer/);
    // A blank line added leaves every event, count and chain as it was; the digest does not.
    await refused(file('blank.ndjson', [...events.slice(0, 3), '\n', ...events.slice(3), trailer].join('')), /do not hash to the sha256 in its trailer/);
    // The export never writes a blank line: the refusal names the first one.
    await refused(file('blank.ndjson', [...events.slice(0, 3), '\n', ...events.slice(3), trailer].join('')), /do not hash to the sha256 in its trailer: .*; line 4 is blank, which the export never writes/);
    for (const [name, text, message] of [
      ['format.ndjson', edited({ format: 'something-else' }), /line 7: the export's trailer is malformed \(format must be "complaint-desk-export"\)/],
      ['version.ndjson', edited({ version: 3 }), /line 7: the export's trailer is of version 3; this import reads version 2/],
      ['short.ndjson', `${JSON.stringify({ trailer: { format: 'complaint-desk-export', version: 2 } })}\n`, /line 7: the export's trailer is malformed \(events must be a whole number/],
      ['extra.ndjson', edited({ note: 'added' }), /line 7: the export's trailer is malformed \(unknown field note\)/],
      ['not-object.ndjson', `${JSON.stringify({ trailer: 'x' })}\n`, /line 7: the export's trailer is malformed/],
    ] as const) {
      await refused(file(name, [...events, text].join('')), message);
      await refused(file(name, [...events, text].join('')), EXPORT_AGAIN);
    }
  });

  it('refuses a line after the trailer: two exports joined, or lines added after it', async () => {
    await refused(file('joined.ndjson', lines.join('') + lines.join('')), /line 7 is the export's trailer, but the file goes on after it \(line 8\): two exports joined, or lines added after it/);
    await refused(file('appended.ndjson', [...lines, events[0]!].join('')), /line 7 is the export's trailer, but the file goes on after it \(line 8\)/);
    // Anything else after it (a note, a shell prompt pasted in) is no cut line nor an edited event: lines added after the trailer.
    await refused(file('note-after.ndjson', [...lines, 'checked by li.na\n'].join('')), /line 7 is the export's trailer, but the file goes on after it \(line 8\): two exports joined, or lines added after it/);
    await refused(file('object-after.ndjson', [...lines, '{"note":"checked"}\n'].join('')), /line 7 is the export's trailer, but the file goes on after it \(line 8\)/);
    // Joined with a blank line between them: still two exports, named at the first line that is not blank.
    await refused(file('joined-blank.ndjson', [...lines, '\n', ...lines].join('')), /line 7 is the export's trailer, but the file goes on after it \(line 9\): two exports joined/);
    await refused(file('joined-nbsp.ndjson', [...lines, '\u00a0\n', ...lines].join('')), /line 7 is the export's trailer, but the file goes on after it \(line 9\): two exports joined/);
    await refused(file('joined.ndjson', lines.join('') + lines.join('')), EXPORT_AGAIN);
  });

  it('calls blank lines after the trailer what they are, not two exports joined, and gives a portable command that removes them', async () => {
    for (const [name, after, message] of [
      ['blank-after.ndjson', ['\n'], /line 8, after the export's trailer \(line 7\), is blank/],
      ['blanks-after.ndjson', ['\n', '  \n', '\r\n', ' '], /lines 8 to 11, after the export's trailer \(line 7\), are blank/],
      // The attacker's: a line of a no-break space after it was "two exports joined … export again".
      ['nbsp-after.ndjson', ['\u00a0\n'], /^line 8, after the export's trailer \(line 7\), holds only spaces that are not ASCII \(a no-break or full-width space, or a byte order mark\) \(an editor or a copy added it; the export ends at its trailer, and everything up to it checked\): remove it \(head -n 7 /],
      ['nbsps-after.ndjson', ['\u00a0\n', '\u3000\n'], /^lines 8 to 9, after the export's trailer \(line 7\), hold only spaces that are not ASCII .*: remove them \(head -n 7 /],
      ['spaces-after.ndjson', ['\n', '\u3000\u00a0\n', '\ufeff\n', ' \n'], /^lines 8 to 11, after the export's trailer \(line 7\), are blank or hold only spaces that are not ASCII \(a no-break or full-width space, or a byte order mark\) \(an editor or a copy added them; .*\): remove them \(head -n 7 /],
    ] as const) {
      const path = file(name, [...lines, ...after].join(''));
      await refused(path, message);
      const said = await importEvents(target, path).then(() => '', (error: { message: string }) => error.message);
      expect(said).not.toMatch(/two exports joined/);
      // The command it gives (POSIX head, the path quoted) writes the export as it was, which imports whole.
      const command = /remove (?:it|them) \((head .*)\) and import that/.exec(said)?.[1];
      expect(command).toBeDefined();
      expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(`${path}.trimmed`, 'utf8')).toBe(lines.join(''));
    }
    await expect(importEvents(target, join(dir, 'blank-after.ndjson.trimmed'))).resolves.toMatchObject({ events: 6, trailer: 'matched' });
  });

  it('with withoutTrailer, calls blank lines after the last event what they are and gives the same portable command, as after a trailer', async () => {
    for (const [name, after, message] of [
      ['old-blank-after.ndjson', ['\n'], /line 7, after the last event \(line 6\), is blank \(an editor or a copy added it; the export ends at its last event, and everything up to it checked\)/],
      // (A blank line of CR LF is told as a conversion to CR LF, as before the trailer of a file that has one.)
      ['old-blanks-after.ndjson', ['\n', '  \n', '\t\n', ' '], /lines 7 to 10, after the last event \(line 6\), are blank/],
    ] as const) {
      const path = file(name, [...events, ...after].join(''));
      await refused(path, message, { withoutTrailer: true });
      const said = await importEvents(target, path, { withoutTrailer: true }).then(() => '', (error: { message: string }) => error.message);
      const command = /remove (?:it|them) \((head .*)\) and import that/.exec(said)?.[1];
      expect(command).toBeDefined();
      expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(`${path}.trimmed`, 'utf8')).toBe(events.join(''));
    }
    // Without withoutTrailer, the file's first fault is still its missing trailer.
    await refused(join(dir, 'old-blank-after.ndjson'), /has no trailer at its end/);
    await expect(importEvents(target, join(dir, 'old-blank-after.ndjson.trimmed'), { withoutTrailer: true })).resolves.toMatchObject({ events: 6, trailer: 'none' });
  });

  it('with withoutTrailer, refuses blank lines among the events too (no digest tells them), naming every one, with a portable command that removes them', async () => {
    for (const [name, text, message] of [
      ['old-blank-inside.ndjson', [...events.slice(0, 3), '\n', ...events.slice(3)], /line 4 is blank \(an editor or a copy added it; the export writes no blank line\): remove it \(grep -v/],
      ['old-blank-first.ndjson', ['  \n', ...events], /line 1 is blank/],
      // Blank lines among the events and after the last one: every one named, and one command removes them all.
      ['old-blanks-inside.ndjson', [events[0]!, '\n', '\t\n', events[1]!, ' \n', ...events.slice(2), '\n', ' '], /lines 2 to 3, 5, 10 to 11 are blank \(an editor or a copy added them; the export writes no blank line\): remove them \(grep -v/],
    ] as const) {
      const path = file(name, text.join(''));
      await refused(path, message, { withoutTrailer: true });
      const said = await importEvents(target, path, { withoutTrailer: true }).then(() => '', (error: { message: string }) => error.message);
      // The command it gives (POSIX grep, the path quoted) writes the events without the blank lines, which import whole.
      const command = /remove (?:it|them) \((grep .*)\) and import that/.exec(said)?.[1];
      expect(command).toBeDefined();
      expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(`${path}.clean`, 'utf8')).toBe(events.join(''));
    }
    await expect(importEvents(target, join(dir, 'old-blanks-inside.ndjson.clean'), { withoutTrailer: true })).resolves.toMatchObject({ events: 6, trailer: 'none' });
  });

  describe('lines of spaces that are not ASCII (no-break, full-width), which [[:space:]] does not match in every locale', () => {
    /** The command a refusal gives, run as written by sh in a locale: it must remove those lines whatever the locale. */
    const cleaned = async (path: string, options: { withoutTrailer?: boolean }, locale: string): Promise<string> => {
      const said = await importEvents(target, path, options).then(() => '', (error: { message: string }) => error.message);
      const command = /remove (?:it|them) \((grep .*)\) and import that$/.exec(said)?.[1];
      expect(command).toBeDefined();
      rmSync(`${path}.clean`, { force: true });
      expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8', env: { PATH: process.env['PATH'], LC_ALL: locale } })).toMatchObject({ status: 0, stderr: '' });
      return readFileSync(`${path}.clean`, 'utf8');
    };

    it.each([['\u00a0'], ['\u3000'], [' \ufeff '], ['\u2007\t\u202f']])('names the line of %j with a command that removes it, in the C locale too', async (space) => {
      const path = file("it's odd.ndjson", [...events.slice(0, 3), `${space}\n`, ...events.slice(3)].join(''));
      await refused(path, /^line 4 holds only spaces that are not ASCII \(a no-break or full-width space, or a byte order mark; the export writes none\): remove it \(grep -v /, { withoutTrailer: true });
      for (const locale of ['C', 'C.UTF-8']) expect(await cleaned(path, { withoutTrailer: true }, locale)).toBe(events.join(''));
      await expect(importEvents(target, `${path}.clean`, { withoutTrailer: true })).resolves.toMatchObject({ events: 6, trailer: 'none' });
    });

    it('names every such line, as runs up to a cap and then how many more, and one command removes them and the blank lines too', async () => {
      const longer = new SqliteEventStore({ filename: ':memory:' });
      await history(longer, 6);
      const many = (await exportLines(longer)).slice(0, -1);
      await longer.close();
      expect(many).toHaveLength(12);
      // Before every event one line of such spaces (12 runs), two before the first, and a blank line after the fifth event.
      const text = ['\u00a0\n', ...many.flatMap((event, index) => [index % 2 === 0 ? '\u3000\n' : '\u00a0 \n', event, ...(index === 4 ? ['\n'] : [])])].join('');
      const path = file('old-odd-spaces.ndjson', text);
      await refused(path, /^lines 1 to 2, 4, 6, 8, 10, 13, 15, 17, 19, 21 and 2 more runs of lines hold only spaces that are not ASCII .*: remove them \(grep -v /, { withoutTrailer: true });
      for (const locale of ['C', 'C.UTF-8']) expect(await cleaned(path, { withoutTrailer: true }, locale)).toBe(many.join(''));
    });

    it('is said so in a file with a trailer too, whose digest then matches once they are removed', async () => {
      const path = file('odd-with-trailer.ndjson', [...events.slice(0, 2), '\u00a0\n', ...events.slice(2), trailer].join(''));
      await refused(path, /^line 3 holds only spaces that are not ASCII .*: remove it \(grep -v /);
      expect(await cleaned(path, {}, 'C')).toBe(lines.join(''));
      await expect(importEvents(target, `${path}.clean`)).resolves.toMatchObject({ events: 6, trailer: 'matched' });
    });
  });

  it('counts the lines it checks whatever the last byte is: a file without a final newline shows 7/7 lines, not 7/6', async () => {
    const shown = async (path: string, options: { withoutTrailer?: boolean } = {}): Promise<string[]> => {
      const written: string[] = [];
      const spy = jest.spyOn(process.stderr, 'write').mockImplementation(((text: string | Uint8Array) => {
        written.push(String(text));
        return true;
      }) as typeof process.stderr.write);
      try {
        await importEvents(new SqliteEventStore({ filename: ':memory:' }), path, options).catch(() => undefined);
      } finally {
        spy.mockRestore();
      }
      return written.join('').split(/[\r\n]/).map((line) => /import: checking: ([\d,]+\/[\d,]+) lines?/.exec(line)?.[1]).filter((count) => count !== undefined);
    };
    // The trailer without its newline (refused), an older export whose last event has none (taken), and a whole export.
    expect(await shown(file('no-final-newline.ndjson', lines.join('').slice(0, -1)))).toEqual(['7/7']);
    expect(await shown(file('old-no-final-newline.ndjson', events.join('').slice(0, -1)), { withoutTrailer: true })).toEqual(['6/6']);
    expect(await shown(file('whole.ndjson', lines.join('')))).toEqual(['7/7']);
  });

  it('takes an export without a trailer (one written before trailers) only with withoutTrailer, and still checks a trailer that is there', async () => {
    const old = file('old.ndjson', events.join(''));
    await refused(old, /has no trailer at its end/);
    await refused(file('line-gone.ndjson', [...events.slice(0, 5), trailer].join('')), /the trailer counts 6 events/, { withoutTrailer: true });
    await expect(importEvents(target, old, { withoutTrailer: true })).resolves.toEqual({ events: 6, streams: 3, positionsKept: true, trailer: 'none' });
  });

  it('refuses a filtered export whose trailer was cut off (withoutTrailer) where its positions show events left out, unless --filtered', async () => {
    // Every other event (positions 2, 4, 6): each stream's chain from revision 0 is whole, the log's numbering is not.
    const received = (await exportLines(source, { type: 'ComplaintReceived' })).slice(0, -1);
    expect(received.map((line) => JSON.parse(line).position)).toEqual([1, 3, 5]);
    await refused(file('received.ndjson', received.join('')), /has no trailer, and its positions show events left out \(line 2: position 3 follows 1; an export of the whole embedded log numbers its events 1, 2, 3 …\): a filtered export whose trailer was cut off, or a whole log some of whose events were removed and the removal acknowledged \(cli seal acknowledge\); to restore, export again without --from, --to, --stream or --type; to load it as it is, add --filtered/, { withoutTrailer: true });
    // The log's start left out: the first event is not at position 1, though the rest follow on.
    const last = JSON.parse(events[4]!).stream as string;
    const tail = (await exportLines(source, { stream: last })).slice(0, -1);
    expect(tail.map((line) => JSON.parse(line).position)).toEqual([5, 6]);
    await refused(file('tail.ndjson', tail.join('')), /has no trailer, and its positions show events left out \(its first event is at position 5, not 1; an export of the whole embedded log numbers its events 1, 2, 3 …\): a filtered export/, { withoutTrailer: true });
    // Found by an attacker: no two positions one apart and the first past 1 (a stream's events, a type's) was taken as whole.
    const sparse = (await exportLines(source, { type: 'ComplaintReceived' })).slice(1, -1);
    expect(sparse.map((line) => JSON.parse(line).position)).toEqual([3, 5]);
    await refused(file('sparse.ndjson', sparse.join('')), /has no trailer, and its positions show events left out \(its first event is at position 3, not 1; .*add --filtered/, { withoutTrailer: true });
    await refused(file('one.ndjson', sparse[0]!), /its first event is at position 3, not 1/, { withoutTrailer: true });
    await expect(importEvents(target, file('received.ndjson', received.join('')), { withoutTrailer: true, filtered: true })).resolves.toMatchObject({ events: 3, trailer: 'none' });
  });

  it('says what --filtered did when there was nothing to allow (a whole export) or nothing to check it against (no trailer)', async () => {
    const said: string[] = [];
    const warn = (text: string) => said.push(text);
    await expect(importEvents(target, file('whole.ndjson', lines.join('')), { filtered: true, warn })).resolves.toEqual({ events: 6, streams: 3, positionsKept: true, trailer: 'matched' });
    expect(said).toEqual(['--filtered: the trailer records no filter, so this export is whole and there was nothing to allow']);
    const other = new SqliteEventStore({ filename: join(dir, 'other.sqlite') });
    said.length = 0;
    await expect(importEvents(other, file('old.ndjson', events.join('')), { withoutTrailer: true, filtered: true, warn })).resolves.toMatchObject({ events: 6, trailer: 'none' });
    await other.close();
    expect(said).toEqual(['--filtered: the file has no trailer to record a filter, so whether it is part of a history cannot be checked (its positions show no events left out)']);
  });

  it('names a byte-order mark before the first line (an editor added it) and how to remove it, with or without the trailer check', async () => {
    const marked = file('bom.ndjson', `\uFEFF${lines.join('')}`);
    for (const withoutTrailer of [false, true]) {
      await refused(marked, /line 1 begins with a UTF-8 byte-order mark \(EF BB BF, which an editor or a Windows tool adds\); the export never writes one: remove it \(tail -c \+4 '.*bom\.ndjson' > '.*bom\.ndjson\.nobom'\) and import that/, { withoutTrailer });
    }
    const utf16 = file("it's utf16.ndjson", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join(''), 'utf16le')]));
    await refused(utf16, /is UTF-16 \(it begins with the byte-order mark FF FE\); the export writes UTF-8: convert it \(iconv -f UTF-16 -t UTF-8 '.*it'\\''s utf16\.ndjson' > '.*it'\\''s utf16\.ndjson\.utf8'\) and import that/);
    // The commands the refusals give work as given (POSIX tail and iconv, the path quoted): what they write imports whole.
    const given = async (path: string, made: string) => {
      const message = await importEvents(target, path).then(() => '', (error: { message: string }) => error.message);
      const command = /\((tail .*|iconv .*)\) and import that/.exec(message)?.[1];
      expect(command).toBeDefined();
      expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(made, 'utf8')).toBe(lines.join(''));
    };
    await given(marked, `${marked}.nobom`);
    await given(utf16, `${utf16}.utf8`);
  });

  it('refuses a line longer than any exported event takes (4 MiB) before reading it into a string, trailer or not, with exit 2\'s ImportError', async () => {
    const long = `{"trailer":"${'x'.repeat(4 * 1024 * 1024)}"}\n`;
    await refused(file('long-trailer.ndjson', [...events, long].join('')), /line 7 is longer than 4194304 bytes \(4 MiB\), more than any exported event takes \(an event is at most 1048576 bytes\): not an export, or a damaged one; export again/);
    // Unended, at the end of the file.
    await refused(file('long-end.ndjson', [...events, long.slice(0, -1)].join('')), /line 7 is longer than 4194304 bytes/, { withoutTrailer: true });
  });

  it('says "1 event" and "1 stream" in the singular, in refusals and in the summaries the CLI prints', async () => {
    const stream = JSON.parse(events[0]!).stream as string;
    const one = await exportLines(source, { stream });
    await refused(file('one-gone.ndjson', [one[0]!, one[2]!].join('')), /the trailer counts 2 events in 1 stream, the file holds 1 event in 1 stream: lines were left out/);
    expect(importSummary({ events: 1, streams: 1, positionsKept: true, trailer: 'matched' }))
      .toBe('imported 1 event into 1 stream; every chain verifies; positions kept; the trailer matched (1 event, 1 stream)');
    expect(importSummary({ events: 2, streams: 2, positionsKept: false, trailer: 'none', filtered: '--stream s' }))
      .toBe("imported 2 events into 2 streams; every chain verifies; positions renumbered (the export was not the whole log); no trailer (--without-trailer: a file cut at a line's end goes unseen); part of a history (--filtered: --stream s)");
    expect(exportSummary(1)).toBe('exported 1 event');
    expect(exportSummary(0)).toBe('exported 0 events');
  });

  it('names the event store that is not empty (DATA_DIR\'s file, or the server without its credentials) and where to import instead', async () => {
    await importEvents(target, file('events.ndjson', lines.join('')));
    const where = importTarget({ kind: 'sqlite', dataDir: '/srv/desk' });
    expect(where.name).toBe("DATA_DIR's event store (/srv/desk/events.sqlite)");
    await expect(importEvents(target, file('events.ndjson', lines.join('')), { target: where })).rejects.toThrow(
      "import needs an empty event store, and DATA_DIR's event store (/srv/desk/events.sqlite) holds events (its last position is 6): import into a directory that holds no event store yet (DATA_DIR=./data/restored npm run -s cli -- import FILE, with a name of your own)",
    );
    const server = importTarget({ kind: 'kurrentdb', dataDir: '/srv/desk', url: 'kurrentdb://admin:changeit@db.example:2113?tls=false' });
    expect(server.name).toBe('the KurrentDB server at kurrentdb://admin:***@db.example:2113?tls=false (EVENTSTORE_URL)');
    // A password may hold any of / ? # (the URL's own separators): none of it is shown.
    for (const password of ['pa/ss', 'pa#ss', 'pa?ss', 'p/a?s#s']) {
      const name = importTarget({ kind: 'kurrentdb', dataDir: '/srv/desk', url: `kurrentdb://admin:${password}@db:2113` }).name;
      expect(name).toBe('the KurrentDB server at kurrentdb://admin:***@db:2113 (EVENTSTORE_URL)');
      expect(name).not.toContain('ss');
    }
    expect(server.fresh).toMatch(/an empty KurrentDB server/);
  });

  it('says so when the line ends were converted to CR LF (a Windows copy, git autocrlf): the export writes LF only', async () => {
    const converted = lines.join('').replace(/\n/g, '\r\n');
    const path = file("it's crlf.ndjson", converted);
    await refused(path, /its lines end in CR LF .* the export writes LF only: convert them back \(dos2unix '.*it'\\''s crlf\.ndjson', or tr -d '\\r' < '.*it'\\''s crlf\.ndjson' > '.*it'\\''s crlf\.ndjson\.lf' and import that\)/);
    await refused(path, /its lines end in CR LF/, { withoutTrailer: true });
    // Converted back by the POSIX command the refusal gives (the path quoted), it imports whole.
    const message = await importEvents(target, path).then(() => '', (error: { message: string }) => error.message);
    const command = /, or (tr .*) and import that\)/.exec(message)?.[1];
    expect(command).toBeDefined();
    expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
    expect(readFileSync(`${path}.lf`, 'utf8')).toBe(lines.join(''));
    await expect(importEvents(target, `${path}.lf`)).resolves.toMatchObject({ events: 6, trailer: 'matched' });
  });

  it('calls lines that end in CR alone (old Mac OS) what they are, not CR LF, with the tr that converts them, which a spec runs as written', async () => {
    const oldMac = lines.join('').replace(/\n/g, '\r');
    for (const [name, text, withoutTrailer, expected] of [
      ["it's old mac.ndjson", oldMac, false, lines.join('')],
      ['old-mac-without-trailer.ndjson', events.join('').replace(/\n/g, '\r'), true, events.join('')],
      // One event alone, its line ending in CR: was imported as it was.
      ['old-mac-one-event.ndjson', events[0]!.replace('\n', '\r'), true, events[0]!],
      // Only the trailer's line: was "ends inside its trailer line", whose (cat; echo) then made it CR LF.
      ['old-mac-last-line.ndjson', `${lines.join('').slice(0, -1)}\r`, false, lines.join('')],
    ] as const) {
      const path = file(name, text);
      const line = name === 'old-mac-last-line.ndjson' ? 7 : 1;
      await refused(path, new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: its lines end in CR alone from line ${line} \\(old Mac OS line ends`), { withoutTrailer });
      const said = await importEvents(target, path, { withoutTrailer }).then(() => '', (error: { message: string }) => error.message);
      expect(said).not.toContain('CR LF');
      const command = /convert them \((tr .*)\) and import that$/.exec(said)?.[1];
      expect(command).toBeDefined();
      expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8' })).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(`${path}.lf`, 'utf8')).toBe(expected);
    }
    await expect(importEvents(target, join(dir, "it's old mac.ndjson.lf"))).resolves.toMatchObject({ events: 6, trailer: 'matched' });
  });

  it('calls a file of CR-alone lines over 4 MiB (one line to an LF reader) CR alone, with the tr that converts it, not a line too long', async () => {
    const oldMac = lines.join('').replace(/\n/g, '\r');
    const path = file('big old mac.ndjson', oldMac.repeat(Math.ceil((4 * 1024 * 1024 + 1) / oldMac.length)));
    for (const withoutTrailer of [false, true]) {
      const said = await importEvents(target, path, { withoutTrailer }).then(() => '', (error: { message: string }) => error.message);
      expect(said).toMatch(/: its lines end in CR alone from line 1 \(old Mac OS line ends/);
      expect(said).not.toMatch(/longer than/);
      const command = /convert them \((tr .*)\) and import that$/.exec(said)?.[1];
      expect(command).toBeDefined();
      expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8', env: { PATH: process.env['PATH'], LC_ALL: 'C' } })).toMatchObject({ status: 0, stderr: '' });
      expect(readFileSync(`${path}.lf`, 'utf8')).toBe(readFileSync(path, 'utf8').replace(/\r/g, '\n'));
    }
    // A first line too long for an export, in a file of CR LF line ends, is too long still (converted, it would be): named by its length.
    const long = `{"trailer":"${'x'.repeat(4 * 1024 * 1024)}"}\r\n`;
    await refused(file('long crlf.ndjson', [long, ...events.map((line) => line.replace('\n', '\r\n'))].join('')), /line 1 is longer than 4194304 bytes/);
  });

  it('names a mix of CR LF and CR-alone line ends, with a command that converts both (which tr -d or tr alone would not), run under LC_ALL=C', async () => {
    const [first, ...rest] = lines;
    const crlfThenCr = [first!.replace('\n', '\r\n'), ...rest.map((line) => line.replace('\n', '\r'))].join('');
    const crThenCrlf = [first!.replace('\n', '\r'), ...rest.map((line) => line.replace('\n', '\r\n'))].join('');
    const bigMix = (crlfThenCr.replace(/\r\n/g, '\n').replace(/\r/g, '\n').replace(/\n/g, '\r') + '\r\n').repeat(1 + Math.ceil((4 * 1024 * 1024) / crlfThenCr.length));
    for (const [name, text, line] of [['crlf then cr.ndjson', crlfThenCr, 1], ['cr then crlf.ndjson', crThenCrlf, 1], ['big mix.ndjson', bigMix, 1]] as const) {
      const path = file(name, text);
      for (const withoutTrailer of [false, true]) {
        const said = await importEvents(target, path, { withoutTrailer }).then(() => '', (error: { message: string }) => error.message);
        expect(said).toMatch(new RegExp(`: its lines end in a mix of CR LF and CR alone from line ${line} `));
        const command = /\((perl .*)\) and import that$/.exec(said)?.[1];
        expect(command).toBeDefined();
        expect(spawnSync('sh', ['-c', command!], { encoding: 'utf8', env: { PATH: process.env['PATH'], LC_ALL: 'C' } })).toMatchObject({ status: 0, stderr: '' });
        expect(readFileSync(`${path}.lf`, 'utf8')).toBe(text.replace(/\r\n/g, '\n').replace(/\r/g, '\n'));
      }
    }
    await expect(importEvents(target, join(dir, 'crlf then cr.ndjson.lf'))).resolves.toMatchObject({ events: 6, trailer: 'matched' });
  });

  it('refuses a filtered export unless told it is part of a history on purpose (--filtered): a restore from it would lose the rest', async () => {
    const to = '9999-01-01T00:00:00.000Z';
    const prefix = await exportLines(source, { to: '9999-01-01T00:00:00.000Z' });
    await refused(file('to.ndjson', prefix.join('')), /is a filtered export \(--to 9999-01-01T00:00:00\.000Z\): it holds only the events that matched, so a store made from it is not the history it came from; to restore, export again without --from, --to, --stream or --type; to load part of a history on purpose, add --filtered/);
    const stream = JSON.parse(events[2]!).stream as string;
    const one = await exportLines(source, { stream, to });
    await refused(file('stream.ndjson', one.join('')), /is a filtered export \(--to .*, --stream /);
    await expect(importEvents(target, file('stream.ndjson', one.join('')), { filtered: true })).resolves.toMatchObject({ streams: 1, trailer: 'matched', filtered: `--to ${to}, --stream ${stream}` });
  });

  it('refuses a file changed between the check and the write, writing nothing: the write pass reads only what was checked', async () => {
    // Another export whose trailer matches its own lines: unchecked, the write pass would load it instead.
    const other = new SqliteEventStore({ filename: ':memory:' });
    await history(other, 3);
    const replacement = (await exportLines(other)).join('');
    await other.close();
    const path = file('changing.ndjson', lines.join(''));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    const read = fs.createReadStream;
    let reads = 0;
    // Its reads: the line count, the check pass, then the write pass, before which the file is replaced.
    const spy = jest.spyOn(fs, 'createReadStream').mockImplementation(((...args: Parameters<typeof read>) => {
      reads += 1;
      if (reads === 3) writeFileSync(path, replacement);
      return read(...args);
    }) as typeof read);
    try {
      await expect(importEvents(target, path)).rejects.toThrow(/changed while it was imported: its lines from line 1 on are not the ones the check read; nothing of them was written: import again once nothing writes to the file/);
    } finally {
      spy.mockRestore();
    }
    expect(reads).toBe(3);
    expect(await target.headPosition()).toBe(0);
  });

  describe('a file changed between the check and the write, loaded in parts (partBytes: how much is loaded at once)', () => {
    /** Imports the file with `text` written over it just before the write pass opens it (its third read), and returns the refusal. */
    const changedBeforeWrite = async (path: string, text: string, partBytes?: number): Promise<string> => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fs = require('node:fs') as typeof import('node:fs');
      const read = fs.createReadStream;
      let reads = 0;
      const spy = jest.spyOn(fs, 'createReadStream').mockImplementation(((...args: Parameters<typeof read>) => {
        reads += 1;
        if (reads === 3) writeFileSync(path, text);
        return read(...args);
      }) as typeof read);
      try {
        return await importEvents(target, path, { partBytes }).then(() => 'imported', (error: Error) => `${error.constructor.name}: ${error.message}`);
      } finally {
        spy.mockRestore();
        expect(reads).toBe(3);
      }
    };
    const bytes = (some: string[]) => some.reduce((sum, line) => sum + Buffer.byteLength(line), 0);

    it('loads the parts before a change in part 2 (as checked), none of it or after it, and says from which line', async () => {
      // Part 1 is lines 1–2 (the first line alone is short of it), part 2 starts at line 3.
      const partBytes = bytes(lines.slice(0, 2)) - 1;
      const edited = [...lines];
      edited[3] = edited[3]!.replace('"reason":"ok"', '"reason":"OK"');
      expect(edited[3]).not.toBe(lines[3]);
      const said = await changedBeforeWrite(file('part-2.ndjson', lines.join('')), edited.join(''), partBytes);
      expect(said).toBe(`ImportError: ${join(dir, 'part-2.ndjson')} changed while it was imported: its lines from line 3 on are not the ones the check read; nothing of them was written, but the 2 events before them were (as checked), so the store holds part of the file: import again into a fresh DATA_DIR once nothing writes to the file`);
      expect((await target.readAll()).map((event) => event.eventId)).toEqual(events.slice(0, 2).map((line) => JSON.parse(line).eventId));
    });

    it('refuses a file that grew after its last part (one part per line: the last part ends at the trailer), having loaded only what was checked', async () => {
      const path = file('grown.ndjson', lines.join(''));
      const said = await changedBeforeWrite(path, [...lines, ...events.slice(0, 1)].join(''), 1);
      expect(said).toBe(`ImportError: ${path} changed while it was imported: its lines from line 8 on are not the ones the check read; nothing of them was written, but the 6 events before them were (as checked), so the store holds part of the file: import again into a fresh DATA_DIR once nothing writes to the file`);
      expect(await target.headPosition()).toBe(6);
    });

    it('refuses a file that grew inside its last part, writing nothing when that is the only one', async () => {
      const path = file('grown-one-part.ndjson', lines.join(''));
      expect(await changedBeforeWrite(path, [...lines, '\n'].join(''))).toMatch(/changed while it was imported: its lines from line 1 on .* nothing of them was written: import again/);
      expect(await target.headPosition()).toBe(0);
    });

    it('refuses a file shortened after part 3 by the parts it no longer has, having loaded the three', async () => {
      const path = file('shortened.ndjson', lines.join(''));
      expect(await changedBeforeWrite(path, lines.slice(0, 3).join(''), 1)).toMatch(/changed while it was imported: its lines from line 4 on are not the ones the check read; nothing of them was written, but the 3 events before them were/);
      expect(await target.headPosition()).toBe(3);
    });
  });

  it('refuses an empty file even with withoutTrailer: no events and no trailer is a file cut before its first byte', async () => {
    await refused(file('zero.ndjson', ''), /is empty: no events and no trailer/, { withoutTrailer: true });
  });

  it('takes an empty export: its trailer counts no events', async () => {
    const empty = new SqliteEventStore({ filename: ':memory:' });
    const nothing = await exportLines(empty);
    await empty.close();
    expect(nothing).toHaveLength(1);
    expect(JSON.parse(nothing[0]!).trailer).toMatchObject({ events: 0, streams: 0, lastPosition: null });
    await expect(importEvents(target, file('empty.ndjson', nothing.join('')))).resolves.toEqual({ events: 0, streams: 0, positionsKept: true, trailer: 'matched' });
    // An empty file is no export: cut before its first byte.
    await refused(file('zero.ndjson', ''), /is empty: no events and no trailer/);
  });
});

describe('command line: replay as of a moment', () => {
  it('builds read models equal to a fresh system fed only the events up to that point, by position or by time', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    const early = await history(store, 4);
    const cutoff = await store.headPosition();
    const cutoffTime = String((await store.readAll({ fromPosition: cutoff, maxCount: 1 }))[0]!.metadata['occurredAt']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await history(store, 3);
    const executor = new ComplaintCommandExecutor(store, new ComplaintRepository(store), new SystemClock());
    await executor.execute({ type: 'AssignComplaint', complaintId: early[0]!, data: { department: 'ops', assignee: 'li' } }, context());

    const fresh = new SqliteEventStore({ filename: ':memory:' });
    for (const event of await store.readAll({ maxCount: cutoff })) await fresh.append(event.stream, [{ eventId: event.eventId, type: event.type, data: event.data, metadata: event.metadata }]);
    const freshRead = new SqliteReadStore({ filename: ':memory:' });
    const runner = new ProjectionRunner(fresh, freshRead, ALL_PROJECTIONS);
    await runner.start();
    await runner.caughtUp();
    await runner.stop();
    const expected = await contentHash(freshRead);

    const readStore = new SqliteReadStore({ filename: ':memory:' });
    expect(await replayUntil(store, readStore, { position: cutoff }, 'by-position')).toMatchObject({ applied: cutoff });
    expect(await contentHash(readStore, asOfPrefix('by-position'))).toBe(expected);
    await replayUntil(store, readStore, { time: cutoffTime }, 'by-time');
    expect(await contentHash(readStore, asOfPrefix('by-time'))).toBe(expected);
    // A name that exists is refused, as by the API; with replace it is built again: replaced, not added to.
    await expect(replayUntil(store, readStore, { position: cutoff }, 'by-position')).rejects.toThrow(/exists .*--replace/);
    await replayUntil(store, readStore, { position: cutoff }, 'by-position', String(cutoff), { replace: true });
    expect(await contentHash(readStore, asOfPrefix('by-position'))).toBe(expected);
    // A position past the end of the log was never given out (as the feed says): refused, nothing built.
    const head = await store.headPosition();
    await expect(replayUntil(store, readStore, { position: head + 1 }, 'past-the-end')).rejects.toThrow(new RegExp(`--until ${head + 1} is past the end of the log \\(its last position is ${head}\\)`));
    expect(await (await AsOfCatalogue.open(readStore)).clashing('past-the-end')).toBeUndefined();
    // A moment still to come, as the API refuses it (one rule, libs/read-models): the day's end is after this machine's now; nothing built.
    const now = new Date('2026-12-06T10:00:00.000Z');
    await expect(replayUntil(store, readStore, { time: '2026-12-06T23:59:59.999Z' }, 'to-come', '2026-12-06', { now }))
      .rejects.toThrow(new RegExp(`^--until 2026-12-06 is still to come \\(2026-12-06T23:59:59\\.999Z; this machine's time is 2026-12-06T10:00:00\\.000Z\\).*log's last position \\("${head}"\\)`));
    expect(await (await AsOfCatalogue.open(readStore)).clashing('to-come')).toBeUndefined();
    expect(Object.keys(await readStore.liveGenerations())).toEqual([]);
    await Promise.all([store.close(), fresh.close()]);
  });
});

describe('command line: replay --until while another process builds that name', () => {
  // Another host's holder of the name's lease (`as-of:` and its collection prefix, lower-cased): alive until its lease runs out.
  const other = 'web-2:4242:0123abcd:89abcdef';

  it.each([[{}], [{ replace: true }]])('is a refusal (AsOfRefusedError: "Error:", exit 2) naming the holder, in the CLI\'s words (%j), with nothing built', async (options) => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await history(store, 3);
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    expect(await readStore.acquireLease(`as-of:${asOfPrefix('june').toLowerCase()}`, other, 30_000)).toBe(true);
    const refusal = replayUntil(store, readStore, { position: 2 }, 'June', '2', options);
    await expect(refusal).rejects.toBeInstanceOf(AsOfRefusedError);
    await expect(refusal).rejects.toThrow(new RegExp(`"June" is being built by another process: ${other} holds its lease .* runs out 30 s after .*--replace`));
    await expect(refusal).rejects.not.toThrow(/DELETE \/analytics/);
    expect(await (await AsOfCatalogue.open(readStore)).clashing('June')).toBeUndefined();
    await Promise.all([store.close(), readStore.close()]);
  });

  // rm_leases made again (dropped by hand) holds leases back one expiry: nobody holds the name, and the CLI said "is being built
  // by another process: another holder holds its lease"; it passes on the build's words, which say until when.
  it('says the lease table was made again and to ask again once the hold-back ends, when nobody holds the name', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-as-of-remade-'));
    const store = new SqliteEventStore({ filename: ':memory:' });
    const readStore = new SqliteReadStore({ filename: join(dataDir, 'read.sqlite') });
    try {
      await history(store, 3);
      const hand = new Database(join(dataDir, 'read.sqlite'));
      hand.exec('DROP TABLE rm_leases');
      hand.close();
      const refusal = replayUntil(store, readStore, { position: 2 }, 'June', '2');
      await expect(refusal).rejects.toBeInstanceOf(AsOfRefusedError);
      await expect(refusal).rejects.toThrow(/rm_leases, the read store's table of leases, was made again at .* held back until \S+, one expiry .*ask again then/);
      await expect(refusal).rejects.not.toThrow(/another (process|holder)/);
      expect(await (await AsOfCatalogue.open(readStore)).clashing('June')).toBeUndefined();
    } finally {
      await Promise.all([store.close(), readStore.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('npm run cli -- replay prints it as "Error:" and exits 2, as its other refusals', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-as-of-lease-'));
    try {
      // A server's data directory: its log (the CLI refuses a DATA_DIR without one) and its read store.
      await new SqliteEventStore({ filename: join(dataDir, 'events.sqlite') }).close();
      const readStore = new SqliteReadStore({ filename: join(dataDir, 'read.sqlite') });
      // Held for an hour: the CLI's start (ts-node) took over 30 s on a loaded machine, the lease ran out, and the replay built.
      expect(await readStore.acquireLease(`as-of:${asOfPrefix('june').toLowerCase()}`, other, 3_600_000)).toBe(true);
      await readStore.close();
      const ran = await runEntry('apps/cli/src/main.ts', ['replay', '--until', '2026-06-30', '--into', 'June'], { DATA_DIR: dataDir, SEALS: 'off' });
      expect(ran.stderr).toMatch(new RegExp(`^Error: "June" is being built by another process: ${other} holds its lease`, 'm'));
      expect(ran.code).toBe(2);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('command line: replay --until again after a replay of that name was killed', () => {
  // kill -9 of `cli replay --until … --into June` left its building entry, its lease and part of its tables: the same command
  // again was refused ("exists … building; add --replace") where a killed replay should leave nothing in the way (an attacker's MEDIUM).
  it('drops what the dead builder left and builds the name, without --replace', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await history(store, 3);
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    const child = spawnSync(process.execPath, ['-e', '0']);
    const dead = { host: hostname(), pid: child.pid, instance: 'killed', space: processSpace() };
    const now = new Date().toISOString();
    await (await AsOfCatalogue.open(readStore)).put({ id: 'June', name: 'June', until: '2', status: 'building', startedAt: now, heartbeatAt: now, builder: dead });
    expect(await readStore.acquireLease(`as-of:${asOfPrefix('june').toLowerCase()}`, `${hostname()}:${child.pid}:0123abcd:${processSpace()}`, 30_000)).toBe(true);
    expect(await replayUntil(store, readStore, { position: 2 }, 'June', '2')).toMatchObject({ applied: 2, position: 2 });
    expect(await (await AsOfCatalogue.open(readStore)).get('June')).toMatchObject({ status: 'done', position: 2 });
    await Promise.all([store.close(), readStore.close()]);
  });

  it('still refuses a name whose builder is alive (another host, beating), saying it is being built, not to add --replace', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await history(store, 3);
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    const now = new Date().toISOString();
    await (await AsOfCatalogue.open(readStore)).put({ id: 'June', name: 'June', until: '2', status: 'building', startedAt: now, heartbeatAt: now, builder: { host: 'web-2', pid: 4242, instance: 'there' } });
    const refusal = replayUntil(store, readStore, { position: 2 }, 'June', '2');
    await expect(refusal).rejects.toBeInstanceOf(AsOfRefusedError);
    await expect(refusal).rejects.toThrow(/"June" is being built by another process \(web-2, pid 4242\).*wait/);
    await expect(refusal).rejects.not.toThrow(/--replace to build it again/);
    expect(await (await AsOfCatalogue.open(readStore)).get('June')).toMatchObject({ status: 'building' });
    await Promise.all([store.close(), readStore.close()]);
  });
});

describe('command line: replay while commands keep arriving', () => {
  it('swaps in the rebuilt read models with nothing lost or applied twice, and drops the replaced ones', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    await history(store, 20);
    const readStore = new SqliteReadStore({ filename: ':memory:' });
    const live = new ProjectionRunner(store, readStore, ALL_PROJECTIONS, { adoptionCheckMs: 20 });
    await live.start();
    await live.caughtUp();

    // Commands keep arriving before, during and after the rebuild.
    let writing = true;
    const writer = (async () => {
      let count = 0;
      while (writing || count < 30) {
        await history(store, 1);
        count += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return count;
    })();
    const { generations } = await replayLive(store, readStore, undefined);
    writing = false;
    await writer;

    const head = await store.headPosition();
    const deadline = Date.now() + 10_000;
    const liveGenerations = async () => Object.values(await readStore.liveGenerations()).sort();
    while ((JSON.stringify(await liveGenerations()) !== JSON.stringify([...generations].sort()) || live.position() < head) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    await live.stop();
    expect(await liveGenerations()).toEqual([...generations].sort());
    expect(live.position()).toBe(head);

    const freshRead = new SqliteReadStore({ filename: ':memory:' });
    const fresh = new ProjectionRunner(store, freshRead, ALL_PROJECTIONS);
    await fresh.start();
    await fresh.caughtUp();
    await fresh.stop();
    const prefix = generations[0]!.slice(0, generations[0]!.indexOf('_'));
    expect(await contentHash(readStore, prefix)).toBe(await contentHash(freshRead));
    await expect(readStore.find(generationCollection(generationOf(ALL_PROJECTIONS[0]!), 'complaints'), {})).rejects.toMatchObject({ lost: 'generation' });
    await store.close();
  }, 30_000);
});
