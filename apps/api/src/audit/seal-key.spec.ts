import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { sealSettingsIn } from '../config/api-config';
import { TamperEvidence, loadOrCreateSealKey } from './tamper-evidence';

describe('the seal key', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'seal-key-')); });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  // The CLI's new-store notice names what the run made from these, not from a second look (another process may make one meanwhile).
  it('tells the topmost directory it made for the key (removing it removes the rest), and none that was there', () => {
    const made: string[] = [];
    loadOrCreateSealKey(join(dir, 'a', 'b', 'seal.key'), (path) => made.push(path));
    loadOrCreateSealKey(join(dir, 'a', 'c', 'seal.key'), (path) => made.push(path));
    loadOrCreateSealKey(join(dir, 'a', 'c', 'seal.key'), (path) => made.push(path));
    expect(made).toEqual([join(dir, 'a'), join(dir, 'a', 'c')]);
  });

  it('tells the directories the tamper evidence made, the key\'s even when the seals\' then cannot be made', async () => {
    const store = new SqliteEventStore({ filename: ':memory:' });
    try {
      const made: string[] = [];
      const options = { by: 'cli:test', now: () => new Date(), onDirectoryMade: (path: string) => made.push(path) };
      const settings = sealSettingsIn(join(dir, 'seals', 'x'), 'sqlite:test');
      new TamperEvidence(store, settings, options);
      expect(made).toEqual([join(dir, 'seals')]);
      made.length = 0;
      writeFileSync(join(dir, 'file'), 'not a directory');
      expect(settings.enabled).toBe(true);
      if (!settings.enabled) return;
      expect(() => new TamperEvidence(store, { ...settings, keyFile: join(dir, 'keys', 'seal.key'), file: join(dir, 'file', 'seals.ndjson') }, options)).toThrow(/cannot make/);
      expect(made).toEqual([join(dir, 'keys')]);
    } finally {
      await store.close();
    }
  });

  it('is made once, whole, with mode 600, and read back the same on the next start', () => {
    const keyFile = join(dir, 'seals', 'seal.key');
    const first = loadOrCreateSealKey(keyFile);
    expect(first.created).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(readFileSync(keyFile, 'utf8')).toBe(`${first.key.toString('hex')}\n`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadOrCreateSealKey(keyFile)).toEqual({ key: first.key, created: false });
    expect(readdirSync(join(dir, 'seals'))).toEqual(['seal.key']);
  });

  it('is the other process\'s key when that process made it between our look and our write', () => {
    // Two API instances starting on one data dir both see no key; the second must take the first one's, not fail with EEXIST.
    const keyFile = join(dir, 'seal.key');
    const theirs = 'ab'.repeat(32);
    // The module object itself, whose function the code under test calls (a namespace import cannot be spied on).
    const nodeFs = require('node:fs') as typeof import('node:fs');
    const realExists = nodeFs.existsSync;
    jest.spyOn(nodeFs, 'existsSync').mockImplementation((path) => {
      if (path !== keyFile) return realExists(path);
      writeFileSync(keyFile, `${theirs}\n`, { mode: 0o600 });
      return false;
    });
    const ours = loadOrCreateSealKey(keyFile);
    expect(ours).toEqual({ key: Buffer.from(theirs, 'hex'), created: false });
    expect(readFileSync(keyFile, 'utf8')).toBe(`${theirs}\n`);
    expect(readdirSync(dir)).toEqual(['seal.key']);
  });

  it('is refused, saying where it points, when the key file is a symbolic link to nothing: no key is made beside it', () => {
    const keyFile = join(dir, 'seal.key');
    symlinkSync(join(dir, 'backup', 'seal.key'), keyFile);
    expect(() => loadOrCreateSealKey(keyFile)).toThrow(`${keyFile} is a symbolic link to ${join(dir, 'backup', 'seal.key')}, which does not exist: fix the link, or delete it`);
    expect(existsSync(join(dir, 'backup'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['seal.key']);
  });

  it('is refused, saying where it points, when its directory (SEAL_DIR) is a symbolic link to nothing: nothing is made there', () => {
    // Found by the attacker: a raw "ENOENT: no such file or directory, mkdir" at start.
    const sealDir = join(dir, 'seals');
    symlinkSync(join(dir, 'mounted', 'seals'), sealDir);
    expect(() => loadOrCreateSealKey(join(sealDir, 'seal.key'))).toThrow(
      `${sealDir} is a symbolic link to ${join(dir, 'mounted', 'seals')}, which does not exist: create that directory (mount it), point the link at a directory that exists, or delete the link to have ${sealDir} made`,
    );
    expect(readdirSync(dir)).toEqual(['seals']);
  });

  it('is refused so when a directory above it is a symbolic link to nothing', () => {
    symlinkSync(join(dir, 'gone'), join(dir, 'state'));
    expect(() => loadOrCreateSealKey(join(dir, 'state', 'complaint-desk', 'seal.key'))).toThrow(`${join(dir, 'state')} is a symbolic link to ${join(dir, 'gone')}, which does not exist`);
    expect(readdirSync(dir)).toEqual(['state']);
  });

  it('is one key for four processes that start at the same moment', async () => {
    const keyFile = join(dir, 'seal.key');
    const script = `const { loadOrCreateSealKey } = require(${JSON.stringify(require.resolve('./tamper-evidence'))});`
      + `const { key, created } = loadOrCreateSealKey(${JSON.stringify(keyFile)}); process.stdout.write(JSON.stringify({ key: key.toString('hex'), created }));`;
    const answers = await Promise.all(Array.from({ length: 4 }, () => new Promise<{ key: string; created: boolean }>((resolve, reject) => {
      const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
      child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`a process failed (${code}): ${err}`))));
    })));
    expect(new Set(answers.map((answer) => answer.key)).size).toBe(1);
    expect(answers.filter((answer) => answer.created)).toHaveLength(1);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(answers[0]!.key);
    expect(readdirSync(dir)).toEqual(['seal.key']);
  }, 180_000);
});
