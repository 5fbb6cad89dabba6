import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { builtApp } from '../support/built-app';
import { runProcess } from '../support/run-entry';

/**
 * Runs the CLI's real entry point as its own process, built once for this file (as `npm run cli` builds
 * it): through ts-node every call spent ten seconds or more compiling it, and the file passed jest's
 * limit on a busy machine.
 */
const cli = (args: string[], dataDir: string, env: Record<string, string> = {}) => runProcess(process.execPath, [builtApp('cli'), ...args], { DATA_DIR: dataDir, ...env });

/** The events a data dir's store holds, read as an operator would. */
const eventsIn = (dataDir: string) => {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS count FROM events').get() as { count: number }).count;
  } finally {
    db.close();
  }
};

describe('the complaint-desk command line as a process', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'complaint-desk-cli-'));
    builtApp('cli');
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // As the README tells users to run it (--silent only leaves out npm's own header lines): `npm run cli` compiles the CLI when a source changed since its last build (half a minute or more).
  it('prints verify --help through npm run cli and exits 0 without running a verify or creating the data directory', async () => {
    const dataDir = join(dir, 'help');
    const result = await runProcess('npm', ['run', '--silent', 'cli', '--', 'verify', '--help'], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    // Nothing on stderr but, when this call built the CLI, the one line that says so before the silent build.
    expect(result.stderr.replace(/^cli: building the CLI from its sources \(nest build cli\) first; it runs once the build is done\n/, '')).toBe('');
    expect(result.stdout).toContain('Usage: complaint-desk verify [options]');
    expect(result.stdout).not.toContain('"ok"');
    expect(existsSync(dataDir)).toBe(false);
  }, 600_000);

  it.each([
    [['replay', '--projecton', 'x'], "unknown option '--projecton'\n(Did you mean --projection?)"],
    [['export', '--form', '2026-06-01'], "unknown option '--form'\n(Did you mean --from?)"],
    [['export', '--type', 'Bogus'], "argument 'Bogus' is invalid. It is none of the event types: ComplaintReceived"],
    [['import', '/nonexistent/events.ndjson'], 'Error: no such file: /nonexistent/events.ndjson'],
    [['import', '/'], 'Error: / is a directory: give the file an export wrote (npm run -s cli -- export > events.ndjson)'],
    [['import-cfpb', '/nonexistent/complaints.csv'], 'Error: no such file: /nonexistent/complaints.csv'],
    [['import-cfpb', '/'], 'Error: / is a directory: give a CFPB extract (.csv or .csv.gz)'],
  ])('refuses %j with exit 2, a message on stderr and nothing touched', async (args, message) => {
    const dataDir = join(dir, 'refused');
    const result = await cli(args, dataDir);
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain(message);
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('still runs the commands: a token issued, listed, and the history verified and exported by type', async () => {
    const dataDir = join(dir, 'store');
    const issued = await cli(['token', 'issue', '--principal', 'zhang.wei', '--role', 'supervisor', '--departments', 'station-ops,billing', '--reason', 'Night shift lead'], dataDir);
    expect(issued).toMatchObject({ code: 0 });
    expect(JSON.parse(issued.stdout)).toMatchObject({ principalId: 'zhang.wei', role: 'supervisor', departments: ['billing', 'station-ops'], token: expect.any(String) });
    // The first token of a DATA_DIR without a log makes the store and says so (a mistyped DATA_DIR is seen); the next does not (below).
    expect(issued.stderr).toContain(`made a new event store in DATA_DIR (${dataDir}), which held none: a token issued into it works only on a server started with this DATA_DIR. `
      + `If DATA_DIR was mistyped, remove what this run made: ${join(dataDir, 'events.sqlite')}, ${join(dataDir, 'keys.sqlite')}`);
    expect(issued.stderr).toContain(`, and the directory ${dataDir}, which it made;`);
    // A refused token makes nothing and says nothing of a store (it is refused before one is made: see the test below).
    const refusedDir = join(dir, 'refused-first');
    const refused = await cli(['token', 'issue', '--principal', 'li.na', '--role', 'analyst', '--departments', 'dept-a', '--reason', 'New hire'], refusedDir);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/Error: .*analyst/);
    expect(refused.stderr).not.toContain('made a new event store');
    expect(existsSync(refusedDir)).toBe(false);
    // A key store that was there before (a server whose events are elsewhere keeps its customers' data keys there) is never
    // named for removal: only what this run made is.
    expect(await cli(['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'], refusedDir)).toMatchObject({ code: 0 });
    rmSync(join(refusedDir, 'events.sqlite'));
    const keysKept = await cli(['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'], refusedDir);
    expect(keysKept).toMatchObject({ code: 0, stderr: expect.stringContaining(`remove what this run made: ${join(refusedDir, 'events.sqlite')}; then issue`) });
    expect(keysKept.stderr).not.toContain('keys.sqlite');

    const listed = await cli(['token', 'list'], dataDir);
    expect(listed).toMatchObject({ code: 0 });
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ principalId: 'zhang.wei', revokedAt: null })]);

    // The configured tokens too, as GET /access/tokens shows them: tokens.json of the data dir, or API_TOKENS when it is set.
    writeFileSync(join(dataDir, 'tokens.json'), JSON.stringify([{ token: 'file-token-0123456789abcdef', principalId: 'admin-1', role: 'admin' }]));
    const withFile = await cli(['token', 'list'], dataDir);
    expect(JSON.parse(withFile.stdout)).toEqual([
      expect.objectContaining({ principalId: 'admin-1', role: 'admin', source: 'configuration', tokenId: expect.stringMatching(/^configured:[0-9a-f]{16}$/) }),
      expect.objectContaining({ principalId: 'zhang.wei', source: 'managed' }),
    ]);
    expect(withFile.stdout).not.toContain('file-token-0123456789abcdef');
    const withEnv = await cli(['token', 'list'], dataDir, { API_TOKENS: 'env-token-0123456789abcdef:ops.analyst:analyst' });
    expect(JSON.parse(withEnv.stdout).map((token: { principalId: string; source: string }) => `${token.principalId}/${token.source}`)).toEqual(['ops.analyst/configuration', 'zhang.wei/managed']);

    const verified = await cli(['verify'], dataDir);
    expect(verified).toMatchObject({ code: 0 });
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, events: 1 });
    expect(verified.stderr).toContain('OK: 1 stream, 1 event');
    expect(verified.stderr).not.toContain('WARNING');
    // Run with a SEAL_DIR other than the one that sealed the log: it says so rather than a bare OK.
    const elsewhere = await cli(['verify'], dataDir, { SEAL_DIR: join(dir, 'elsewhere.seals') });
    expect(elsewhere).toMatchObject({ code: 0, stderr: expect.stringContaining(`WARNING: no seal of this log in ${join(dir, 'elsewhere.seals')}`) });

    const exported = await cli(['export', '--type', 'AccessTokenIssued', '--from', '2000-01-01'], dataDir);
    expect(exported).toMatchObject({ code: 0 });
    const exportedLines = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type?: string; trailer?: unknown });
    expect(exportedLines.slice(0, -1).map((line) => line.type)).toEqual(['AccessTokenIssued']);
    expect(exportedLines[exportedLines.length - 1]).toMatchObject({ trailer: { events: 1, streams: 1, filter: { type: 'AccessTokenIssued', from: '2000-01-01T00:00:00.000Z' } } });
    expect(exported.stderr).toContain('exported 1 event');
  }, 120_000);

  it('refuses a token that needs no data to refuse before anything is made: no DATA_DIR, no seal directory, no new-store notice', async () => {
    const issue = (...more: string[]) => ['token', 'issue', '--principal', 'li.na', '--reason', 'New hire', ...more];
    const refusals: ReadonlyArray<readonly [string[], string]> = [
      [issue('--role', 'agent', '--departments', 'UNASSIGNED'), 'departments "UNASSIGNED" is reserved for "not yet assigned"'],
      [issue('--role', 'supervisor', '--departments', 'billing,Unassigned'), 'departments "Unassigned" is reserved for "not yet assigned"'],
      [issue('--role', 'agent', '--departments', 'ops/billing'), 'each department must be a plain code'],
      [issue('--role', 'agent', '--departments', 'Billing,billing'), 'departments "Billing" and "billing" differ only in letter case'],
      [issue('--role', 'admin', '--departments', 'billing'), 'admins see every department'],
      [['token', 'issue', '--principal', 'cli:root', '--role', 'admin', '--reason', 'New hire'], 'principalId must not start with cli:'],
      [['token', 'issue', '--principal', 'li na', '--role', 'admin', '--reason', 'New hire'], 'principalId must be 1–100 letters'],
      // The API's rule for a reason (POST /access/tokens), in its words: it was taken and written.
      [['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', ''], 'reason must be text of 1–500 characters'],
      [['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', ' '], 'reason must say why, and must not be blank'],
      [['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'x'.repeat(600)], 'reason must be text of 1–500 characters'],
    ];
    for (const [index, [args, message]] of refusals.entries()) {
      const top = join(dir, `refused-before-store-${index}`);
      const dataDir = join(top, 'data');
      const refused = await cli(args, dataDir, { SEAL_DIR: `${top}.seals` });
      expect({ args, code: refused.code, stdout: refused.stdout, stderr: refused.stderr }).toEqual({ args, code: 2, stdout: '', stderr: expect.stringContaining(message) });
      expect(refused.stderr).toMatch(/^Error: /);
      expect(refused.stderr).not.toContain('made a new event store');
      expect({ args, dataDir: existsSync(top), sealDir: existsSync(`${top}.seals`) }).toEqual({ args, dataDir: false, sealDir: false });
    }
  }, 120_000);

  it('imports nothing from a file cut short, so the same fresh data dir takes the whole file next', async () => {
    const source = join(dir, 'import-source');
    const notices: boolean[] = [];
    for (const principal of ['li.na', 'wang.fang']) {
      const issued = await cli(['token', 'issue', '--principal', principal, '--role', 'agent', '--reason', 'New hire'], source);
      expect(issued).toMatchObject({ code: 0 });
      notices.push(issued.stderr.includes('made a new event store'));
    }
    // Only the first token, which made the store, says so.
    expect(notices).toEqual([true, false]);
    const exported = await cli(['export'], source);
    expect(exported).toMatchObject({ code: 0 });
    const whole = join(dir, 'events.ndjson');
    const cut = join(dir, 'events-cut.ndjson');
    writeFileSync(whole, exported.stdout);
    writeFileSync(cut, exported.stdout.slice(0, exported.stdout.indexOf('\n') + 30));
    const target = join(dir, 'import-target');
    const refused = await cli(['import', cut], target);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('line 2: not JSON') });
    const imported = await cli(['import', whole], target);
    expect(imported).toMatchObject({ code: 0, stderr: expect.stringContaining('imported 2 events into 1 stream; every chain verifies; positions kept') });
    // Again into the same data dir: the refusal names its event store.
    const again = await cli(['import', whole], target);
    expect(again).toMatchObject({ code: 2, stderr: expect.stringContaining(`Error: import needs an empty event store, and DATA_DIR's event store (${join(target, 'events.sqlite')}) holds events`) });
    expect(eventsIn(target)).toBe(2);
    // An import seals what it wrote, as every command that writes does: the seal file it leaves is this log's, which verify compares.
    const seals = { SEAL_DIR: join(dir, 'import.seals') };
    const sealed = join(dir, 'import-sealed');
    expect(await cli(['import', whole], sealed, seals)).toMatchObject({ code: 0 });
    const verified = await cli(['verify'], sealed, seals);
    expect(verified).toMatchObject({ code: 0, stderr: expect.stringMatching(/^OK: 1 stream, 2 events; 1 seal compared/m) });
    expect(verified.stderr).not.toContain('WARNING');
  }, 120_000);

  it('refuses an export cut at a line\'s end (its trailer gone) with exit 2, saying so, and writes nothing; --without-trailer takes it', async () => {
    const source = join(dir, 'trailer-source');
    for (const principal of ['li.na', 'wang.fang']) {
      expect(await cli(['token', 'issue', '--principal', principal, '--role', 'agent', '--reason', 'New hire'], source)).toMatchObject({ code: 0 });
    }
    const exported = await cli(['export'], source);
    expect(exported).toMatchObject({ code: 0 });
    const lines = exported.stdout.split(/(?<=\n)/);
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[2]!)).toMatchObject({ trailer: { format: 'complaint-desk-export', version: 2, events: 2, streams: 1 } });
    const cut = join(dir, 'events-cut-at-a-line-end.ndjson');
    writeFileSync(cut, lines.slice(0, 2).join(''));
    const target = join(dir, 'trailer-target');
    const refused = await cli(['import', cut], target);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toContain(`Error: ${cut} has no trailer at its end: it was cut short`);
    expect(refused.stderr).toContain('export again (npm run -s cli -- export > events.ndjson');
    expect(refused.stderr).toContain('--without-trailer');
    expect(existsSync(target)).toBe(false);
    const taken = await cli(['import', '--without-trailer', cut], target);
    expect(taken).toMatchObject({ code: 0, stderr: expect.stringContaining("imported 2 events into 1 stream; every chain verifies; positions kept; no trailer (--without-trailer: a file cut at a line's end goes unseen)") });
    expect(eventsIn(target)).toBe(2);
    // A blank line after its last event is no event, and no export writes one: refused as after a trailer, with the head that removes it.
    const blankAfter = join(dir, 'events-cut-blank-after.ndjson');
    writeFileSync(blankAfter, `${lines.slice(0, 2).join('')}\n`);
    const blankTarget = join(dir, 'trailer-target-blank');
    const blankRefused = await cli(['import', '--without-trailer', blankAfter], blankTarget);
    expect(blankRefused).toMatchObject({ code: 2, stdout: '' });
    expect(blankRefused.stderr).toContain(`Error: line 3, after the last event (line 2), is blank (an editor or a copy added it; the export ends at its last event, and everything up to it checked): remove it (head -n 2 '${blankAfter}' > '${blankAfter}.trimmed') and import that`);
    expect(existsSync(blankTarget)).toBe(false);
    const whole = join(dir, 'events-with-trailer.ndjson');
    writeFileSync(whole, exported.stdout);
    expect(await cli(['import', whole], join(dir, 'trailer-target-2'))).toMatchObject({ code: 0, stderr: expect.stringContaining('positions kept; the trailer matched (2 events, 1 stream)') });
    // --filtered with a whole export has nothing to allow, and says so (exit 0 all the same).
    expect(await cli(['import', '--filtered', whole], join(dir, 'trailer-target-3'))).toMatchObject({
      code: 0, stderr: expect.stringContaining('--filtered: the trailer records no filter, so this export is whole and there was nothing to allow\n'),
    });
  }, 120_000);

  it('refuses a filtered export with exit 2 and writes nothing (a restore from it would lose the rest); --filtered takes it and says so', async () => {
    const source = join(dir, 'filtered-source');
    expect(await cli(['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'], source)).toMatchObject({ code: 0 });
    const exported = await cli(['export', '--to', '9999-01-01T00:00:00Z'], source);
    expect(exported).toMatchObject({ code: 0 });
    const file = join(dir, 'events-to.ndjson');
    writeFileSync(file, exported.stdout);
    const target = join(dir, 'filtered-target');
    const refused = await cli(['import', file], target);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toContain(`Error: ${file} is a filtered export (--to 9999-01-01T00:00:00.000Z): it holds only the events that matched`);
    expect(refused.stderr).toContain('add --filtered');
    expect(existsSync(target)).toBe(false);
    expect(await cli(['import', '--filtered', file], target)).toMatchObject({
      code: 0, stderr: expect.stringContaining('the trailer matched (1 event, 1 stream); part of a history (--filtered: --to 9999-01-01T00:00:00.000Z)'),
    });
  }, 120_000);

  it('leaves nothing behind when it refuses a file: no data dir, no store files, no seal key (checked before any is made)', async () => {
    const source = join(dir, 'nothing-source');
    expect(await cli(['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'], source)).toMatchObject({ code: 0 });
    const exported = await cli(['export'], source);
    expect(exported).toMatchObject({ code: 0 });
    const refusedFiles: ReadonlyArray<readonly [string, string, string]> = [
      ['cut.ndjson', exported.stdout.slice(0, 40), 'line 1: not JSON'],
      ['no-trailer.ndjson', exported.stdout.split(/(?<=\n)/)[0]!, 'has no trailer at its end'],
      ['blank-after.ndjson', `${exported.stdout}\n`, 'is blank'],
      ['crlf.ndjson', exported.stdout.replace(/\n/g, '\r\n'), 'CR LF'],
      ['old-mac.ndjson', exported.stdout.replace(/\n/g, '\r'), 'its lines end in CR alone from line 1 (old Mac OS line ends'],
    ];
    for (const [name, text, message] of refusedFiles) {
      const path = join(dir, name);
      writeFileSync(path, text);
      // A directory that does not exist stays so, and a seal key is not made.
      const absent = join(dir, `absent-${name}`);
      const seals = join(dir, `absent-${name}.seals`);
      const refused = await cli(['import', path], absent, { SEAL_DIR: seals });
      expect(refused).toMatchObject({ code: 2, stdout: '' });
      expect(refused.stderr).toContain(message);
      expect(refused.stderr).not.toContain('created the seal key');
      expect(existsSync(absent)).toBe(false);
      expect(existsSync(seals)).toBe(false);
      // An empty data dir and an empty SEAL_DIR stay empty.
      const empty = join(dir, `empty-${name}`);
      const emptySeals = join(dir, `empty-${name}.seals`);
      mkdirSync(empty);
      mkdirSync(emptySeals);
      expect(await cli(['import', path], empty, { SEAL_DIR: emptySeals })).toMatchObject({ code: 2, stderr: expect.stringContaining(message) });
      expect(readdirSync(empty)).toEqual([]);
      expect(readdirSync(emptySeals)).toEqual([]);
    }
    // The same directories then take the whole file.
    const whole = join(dir, 'nothing-whole.ndjson');
    writeFileSync(whole, exported.stdout);
    const taken = join(dir, 'empty-cut.ndjson');
    expect(await cli(['import', whole], taken, { SEAL_DIR: `${taken}.seals` })).toMatchObject({ code: 0, stderr: expect.stringContaining('the trailer matched (1 event, 1 stream)') });
    expect(eventsIn(taken)).toBe(1);
  }, 120_000);

  it('import-cfpb leaves nothing behind either when the file is no CFPB extract (its header is checked before anything is made)', async () => {
    const CFPB_HEADER = 'Complaint ID,Date received,Date sent to company,Company response to consumer';
    const refusedFiles: ReadonlyArray<readonly [string, string | Buffer, string]> = [
      ['empty.csv', '', 'no rows (an empty file, or only a header)'],
      ['other.csv', 'id,name\n1,Li Na\n', 'the header has no "Complaint ID" column: not a CFPB extract'],
      ['other.csv.gz', gzipSync('Complaint ID,Date received\n1,2024-01-02\n'), 'the header has neither "Company response to consumer" nor "Company response"'],
      // Read as the import reads it: a BOM dropped and blank lines skipped before the header; a header alone is no rows.
      ['header-only.csv', `${CFPB_HEADER}\n`, 'no rows (an empty file, or only a header)'],
      ['blank-first.csv', `\n\n${CFPB_HEADER}\n`, 'no rows (an empty file, or only a header)'],
      ['bom-header-only.csv.gz', gzipSync(`\uFEFF${CFPB_HEADER}\n\n`), 'no rows (an empty file, or only a header)'],
    ];
    for (const [name, content, message] of refusedFiles) {
      const path = join(dir, `cfpb-${name}`);
      writeFileSync(path, content);
      const absent = join(dir, `absent-cfpb-${name}`);
      const seals = join(dir, `absent-cfpb-${name}.seals`);
      const refused = await cli(['import-cfpb', path], absent, { SEAL_DIR: seals });
      expect({ name, code: refused.code, stderr: refused.stderr }).toEqual({ name, code: 2, stderr: expect.stringContaining(message) });
      expect(refused.stderr).not.toContain('created the seal key');
      expect({ name, dataDir: existsSync(absent), sealDir: existsSync(seals) }).toEqual({ name, dataDir: false, sealDir: false });
    }
  }, 120_000);

  it('refuses to read a log that is not there (a mistyped DATA_DIR): no "OK: 0 events", no empty export, nothing made', async () => {
    const revoke = ['token', 'revoke', '00000000-0000-4000-8000-000000000000', '--reason', 'Left the company'];
    const acknowledge = ['seal', 'acknowledge', '--reason', 'Restored from backup'];
    for (const args of [['verify'], ['export'], ['seal', 'status'], ['replay'], ['token', 'list'], revoke, acknowledge]) {
      const words = args.slice(0, 2).join(' ');
      const absent = join(dir, `no-log-${words.replace(' ', '-')}`);
      const refused = await cli(args, absent, { SEAL_DIR: `${absent}.seals` });
      expect({ args, code: refused.code, stdout: refused.stdout, stderr: refused.stderr })
        .toEqual({ args, code: 2, stdout: '', stderr: expect.stringContaining(`Error: no event store in DATA_DIR (${join(absent, 'events.sqlite')} does not exist): ${words} reads the log the server writes`) });
      expect({ args, dataDir: existsSync(absent), sealDir: existsSync(`${absent}.seals`) }).toEqual({ args, dataDir: false, sealDir: false });
    }
    // A DATA_DIR that is a file is named as such (it was a bare "Failed: EEXIST … mkdir", exit 1).
    const file = join(dir, 'data-dir-is-a-file');
    writeFileSync(file, 'not a directory');
    expect(await cli(['verify'], file)).toMatchObject({ code: 2, stderr: expect.stringContaining(`Error: DATA_DIR (${file}) is a file, not a directory`) });
    // One under a file cannot be made: named, exit 2 (it was "Failed: ENOTDIR: not a directory, mkdir …", exit 1).
    const underFile = join(file, 'sub');
    expect(await cli(['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'], underFile))
      .toMatchObject({ code: 2, stderr: expect.stringContaining(`Error: DATA_DIR (${underFile}) cannot be made (ENOTDIR`) });
    // A link to nothing (an unmounted volume) is said as such, with what to do (it was mkdir's bare EEXIST).
    const dangling = join(dir, 'dangling-data');
    symlinkSync(join(dir, 'not-mounted'), dangling);
    expect(await cli(['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'], dangling))
      .toMatchObject({ code: 2, stderr: expect.stringContaining(`Error: DATA_DIR (${dangling}) cannot be made: ${dangling} is a symbolic link to ${join(dir, 'not-mounted')}, which does not exist`) });
    expect(existsSync(join(dir, 'not-mounted'))).toBe(false);
  }, 120_000);

  // It was taken (and the notice once named the link as a directory it made); the server then refused it at start.
  it('refuses a SEAL_DIR that is a link into the DATA_DIR the run makes, in the server\'s words, before anything is made', async () => {
    const dataDir = join(dir, 'linked-data');
    const link = join(dir, 'seal-link');
    symlinkSync(dataDir, link);
    const issued = await cli(['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'], dataDir, { SEAL_DIR: join(link, 'seals') });
    expect(issued).toMatchObject({ code: 2, stdout: '' });
    expect(issued.stderr).toBe(`Error: SEAL_KEY_FILE (${join(link, 'seals', 'seal.key')}) is inside DATA_DIR: whoever can write the data could then forge seals. Keep it elsewhere (SEAL_DIR), or set SEALS=off.\n`);
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);

  // It was refused only once DATA_DIR and the store were made, after a notice of "a token issued into it" that was not.
  it('refuses a SEAL_DIR that is a link to nothing or a loop of links before anything is made, naming it as such (token issue, import)', async () => {
    const dangling = join(dir, 'seal-dangling');
    symlinkSync('./seal-nowhere', dangling);
    symlinkSync(join(dir, 'seal-loop-b'), join(dir, 'seal-loop-a'));
    symlinkSync(join(dir, 'seal-loop-a'), join(dir, 'seal-loop-b'));
    const file = join(dir, 'seal-link-import.ndjson');
    writeFileSync(file, '');
    const issue = ['token', 'issue', '--principal', 'zhao', '--role', 'agent', '--reason', 'x'];
    const cases: ReadonlyArray<readonly [string, string]> = [
      [dangling, `${dangling} is a symbolic link to ${join(dir, 'seal-nowhere')}, which does not exist: create that directory (mount it), point the link at a directory that exists, or delete the link to have ${dangling} made.`],
      [join(dir, 'seal-loop-a'), `${join(dir, 'seal-loop-a')} is a loop of symbolic links (ELOOP): point it at a directory that exists, or delete it to have ${join(dir, 'seal-loop-a')} made.`],
    ];
    for (const [index, [sealDir, words]] of cases.entries()) {
      for (const args of [issue, ['import', file]]) {
        const dataDir = join(dir, `seal-link-data-${index}-${args[0]}`);
        const refused = await cli(args, dataDir, { SEAL_DIR: sealDir });
        expect({ args, code: refused.code, stdout: refused.stdout, stderr: refused.stderr })
          .toEqual({ args, code: 2, stdout: '', stderr: `Error: cannot make ${sealDir}, the directory of the seal key (SEAL_DIR or SEAL_KEY_FILE): ${words}\n` });
        expect({ args, dataDir: existsSync(dataDir) }).toEqual({ args, dataDir: false });
      }
    }
    expect(existsSync(join(dir, 'seal-nowhere'))).toBe(false);
  }, 120_000);

  it('names the topmost directory a run made for a new store, of DATA_DIR and of SEAL_DIR: removing what it names leaves nothing', async () => {
    const issue = ['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'];
    const run = join(dir, 'nested-run');
    mkdirSync(run);
    // Neither DATA_DIR nor SEAL_DIR nor the directories above them (up to run) were there: each was made by a recursive mkdir.
    const dataDir = join(run, 'a', 'b', 'data');
    const sealDir = join(run, 'seals', 'x', 'y');
    const issued = await cli(issue, dataDir, { SEAL_DIR: sealDir });
    expect(issued).toMatchObject({ code: 0 });
    expect(issued.stderr).toContain(`, and the directory ${join(run, 'a')}, which it made (DATA_DIR, ${dataDir}, is in it)`);
    expect(issued.stderr).toContain(`, and the directory ${join(run, 'seals')}, which it made (the seal directory, ${sealDir}, is in it);`);
    // The two directories it names, removed, leave run as it was: empty.
    for (const made of ['a', 'seals']) rmSync(join(run, made), { recursive: true });
    expect(readdirSync(run)).toEqual([]);
    // A token refused after the store was made (its seal directory cannot be made: a file on its path) names them too; a
    // directory that was there (run) is never named. (One refused by its arguments makes nothing: see above.)
    writeFileSync(join(run, 'file'), 'not a directory');
    const refused = await cli(issue, dataDir, { SEAL_DIR: join(run, 'file', 'seals') });
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining(`, and the directory ${join(run, 'a')}, which it made`) });
    expect(refused.stderr).toContain(`Error: cannot make ${join(run, 'file', 'seals')}`);
    expect(refused.stderr).not.toContain(`directory ${run},`);
  }, 120_000);

  // Node's own mkdirSync(recursive) spins for ever under /proc (mkdir there answers ENOENT, whose parent exists): Linux only.
  (process.platform === 'linux' ? it : it.skip)('refuses a DATA_DIR or SEAL_DIR under /proc that cannot be made, naming it with exit 2, rather than spinning for ever (Linux: /proc)', async () => {
    const issue = ['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'New hire'];
    const path = join(dir, 'proc-import.ndjson');
    const source = join(dir, 'proc-source');
    expect(await cli(issue, source)).toMatchObject({ code: 0 });
    writeFileSync(path, (await cli(['export'], source)).stdout);
    // Killed after 20 s if it spins, so that a regression fails here and never hangs the run.
    const bounded = (args: string[], env: Record<string, string>) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [builtApp('cli'), ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 20_000, killSignal: 'SIGKILL' });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    for (const args of [issue, ['import', path]]) {
      expect(await bounded(args, { DATA_DIR: '/proc/complaint-desk-x/y' }))
        .toEqual({ code: 2, stderr: expect.stringContaining("Error: DATA_DIR (/proc/complaint-desk-x/y) cannot be made (ENOENT: no such file or directory, mkdir '/proc/complaint-desk-x')") });
      const dataDir = join(dir, `proc-seals-${args[0]!}`);
      const sealed = await bounded(args, { DATA_DIR: dataDir, SEAL_DIR: '/proc/complaint-desk-x/y' });
      expect(sealed).toEqual({ code: 2, stderr: expect.stringContaining("Error: cannot make /proc/complaint-desk-x/y, the directory of the seal key (SEAL_DIR or SEAL_KEY_FILE): ENOENT: no such file or directory, mkdir '/proc/complaint-desk-x'") });
    }
  }, 120_000);

  it('ends quietly with exit code 0 when the reader of its output has gone (npm run cli -- export | head)', async () => {
    const dataDir = join(dir, 'piped');
    expect(await cli(['token', 'issue', '--principal', 'li.na', '--role', 'agent', '--reason', 'Day shift'], dataDir)).toMatchObject({ code: 0 });
    const ended = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [builtApp('cli'), 'export'], { env: { PATH: process.env['PATH'] ?? '', DATA_DIR: dataDir } });
      // The reader goes before the first line: every write of the export meets a closed pipe (EPIPE).
      child.stdout.destroy();
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(ended.stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(ended.code).toBe(0);
  }, 120_000);

  it('finds a revocation deleted from the file, and an admin acknowledges it: the revocation is re-applied and verify passes', async () => {
    const dataDir = join(dir, 'sealed');
    const seals = { SEAL_DIR: join(dir, 'sealed.seals') };
    const issued = JSON.parse((await cli(['token', 'issue', '--principal', 'li.na', '--role', 'admin', '--reason', 'Night shift'], dataDir, seals)).stdout) as { tokenId: string };
    // A blank reason is refused as the API refuses it, and revokes nothing (it was written).
    expect(await cli(['token', 'revoke', issued.tokenId, '--reason', ' '], dataDir, seals)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('Error: reason must say why, and must not be blank') });
    expect(await cli(['token', 'revoke', issued.tokenId, '--reason', 'Left the company'], dataDir, seals)).toMatchObject({ code: 0 });
    const db = new Database(join(dataDir, 'events.sqlite'));
    db.prepare("DELETE FROM events WHERE type = 'AccessTokenRevoked'").run();
    db.close();

    const tampered = await cli(['verify'], dataDir, seals);
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/TAMPERED: \d+ open findings?; first: the log ends at position 1/);

    // An acknowledgement's reason is held to the same rule (a reason of 600 characters was recorded).
    expect(await cli(['seal', 'acknowledge', '--reason', 'x'.repeat(600)], dataDir, seals)).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('Error: reason must be text of 1–500 characters') });
    const acknowledged = await cli(['seal', 'acknowledge', '--reason', 'Incident 42: restored from backup'], dataDir, seals);
    expect(acknowledged.code).toBe(0);
    expect(JSON.parse(acknowledged.stdout)).toMatchObject({ reappliedRevocations: [issued.tokenId], report: { ok: true } });
    expect(acknowledged.stderr).toMatch(/acknowledged \d+ findings? as cli:\S+; re-applied 1 revocation;/);

    const verified = await cli(['verify'], dataDir, seals);
    expect(verified.code).toBe(0);
    expect(verified.stderr).toMatch(/^OK: 2 streams, 3 events; \d+ seals? compared; \d+ acknowledged findings?/m);
    expect(verified.stderr).not.toContain('WARNING');
    expect(await cli(['seal', 'acknowledge', '--reason', 'again'], dataDir, seals)).toMatchObject({ code: 2, stderr: expect.stringContaining('nothing to acknowledge') });
    const status = JSON.parse((await cli(['seal', 'status'], dataDir, seals)).stdout);
    expect(status).toMatchObject({ settings: { enabled: true, keyFile: join(dir, 'sealed.seals', 'seal.key') }, latest: { sealing: true } });
  }, 120_000);
});
