import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateTokenFile, readTokenFile } from './token-file';

describe('tokens.json', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokens-'));
    file = join(dir, 'tokens.json');
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is written on the first start, mode 600, and read back on the next', () => {
    const first = loadOrCreateTokenFile(dir);
    expect(first.created).toBe(true);
    expect(first.tokens.map((token) => token.role)).toEqual(['agent', 'supervisor', 'engineer', 'analyst', 'auditor', 'admin']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateTokenFile(dir)).toEqual({ path: file, created: false, tokens: first.tokens });
  });

  it('holds the tokens of the instance that wrote it first when two start at once on one data dir', () => {
    // Both saw no file; the second used to overwrite the first one's tokens, which that instance kept accepting.
    const theirs = [{ token: 'theirs-0123456789abcdef', principalId: 'admin-1', role: 'admin' }];
    // The module object itself, whose function the code under test calls (a namespace import cannot be spied on).
    const nodeFs = require('node:fs') as typeof import('node:fs');
    const realExists = nodeFs.existsSync;
    jest.spyOn(nodeFs, 'existsSync').mockImplementation((path) => {
      if (path !== file) return realExists(path);
      writeFileSync(file, JSON.stringify(theirs), { mode: 0o600 });
      return false;
    });
    expect(loadOrCreateTokenFile(dir)).toEqual({ path: file, created: false, tokens: theirs });
    expect(readTokenFile(file)).toEqual(theirs);
    expect(readdirSync(dir)).toEqual(['tokens.json']);
  });

  it('says what to do when it is a symbolic link to a file that is gone, and writes nothing through it', () => {
    symlinkSync(join(dir, 'moved', 'tokens.json'), file);
    const message = `${file} is a symbolic link to ${join(dir, 'moved', 'tokens.json')}, which does not exist: fix the link, or delete it to have new tokens written at the next start (or set API_TOKENS).`;
    expect(() => loadOrCreateTokenFile(dir)).toThrow(message);
    expect(() => readTokenFile(file)).toThrow(message);
    expect(readdirSync(dir)).toEqual(['tokens.json']);
    rmSync(file);
    expect(loadOrCreateTokenFile(dir).created).toBe(true);
  });

  it('reads its entries, tokens with any characters included', () => {
    writeFileSync(file, JSON.stringify([{ token: 'a:b,c-0123456789abcdef', principalId: 'ops.admin', role: 'admin' }]));
    expect(readTokenFile(file)).toEqual([{ token: 'a:b,c-0123456789abcdef', principalId: 'ops.admin', role: 'admin' }]);
  });

  it('refuses a key it does not know rather than ignore it: a configured token sees every department', () => {
    // A newcomer who wrote "departments" believed the token limited; ignored, it saw every department.
    writeFileSync(file, JSON.stringify([{ token: 'z'.repeat(20), principalId: 'zhang.wei', role: 'supervisor', departments: ['billing'] }]));
    expect(() => readTokenFile(file)).toThrow(/^tokens\.json entry 1 \(zhang\.wei\): departments is not a key of a configured token.*every department.*POST \/access\/tokens/);
    writeFileSync(file, JSON.stringify([{ token: 'z'.repeat(20), principalId: 'p', role: 'admin', Role: 'agent' }]));
    expect(() => readTokenFile(file)).toThrow(/^tokens\.json entry 1 \(p\): Role is not a key of a configured token \(its keys are token, principalId and role\)/);
    // A key or a role with control or direction characters reaches the message escaped, never raw.
    writeFileSync(file, JSON.stringify([{ token: 'z'.repeat(20), principalId: 'p', role: 'admin', '\u001b[2Jx': 1 }]));
    expect(() => readTokenFile(file)).toThrow('tokens.json entry 1 (p): "\\u001b[2Jx" is not a key of a configured token');
    writeFileSync(file, JSON.stringify([{ token: 'z'.repeat(20), principalId: 'p', role: 'adm\u202ein' }]));
    expect(() => readTokenFile(file)).toThrow('(got "adm\\u202ein").');
  });

  it('refuses a key given twice in one entry, naming it and its line: JSON.parse would keep the last one without a word', () => {
    // An operator pasted a role twice: the token would have been an admin's, silently.
    writeFileSync(file, '[\n  {\n    "token": "paste-0123456789abcdef",\n    "principalId": "ops.lead",\n    "role": "agent",\n    "role": "admin"\n  }\n]\n');
    expect(() => readTokenFile(file)).toThrow(`${file} line 6: "role" is given twice in one entry (first on line 5), and JSON keeps only the last one without a word: keep one of them.`);
    expect(() => loadOrCreateTokenFile(dir)).toThrow(`${file} line 6: "role" is given twice`);
    // On one line, and spelt with an escape: the key is what it decodes to.
    writeFileSync(file, '[{"token": "first-0123456789abcdef", "principalId": "p", "role": "agent", "tok\\u0065n": "second-0123456789abcdef"}]');
    expect(() => readTokenFile(file)).toThrow(`${file} line 1: "token" is given twice in one entry (first on line 1)`);
    // A key reaches the message escaped, never raw.
    writeFileSync(file, '[{"token": "first-0123456789abcdef", "principalId": "p", "role": "agent",\n"\\u001b[2J": 1, "\\u001b[2J": 2}]');
    expect(() => readTokenFile(file)).toThrow(`${file} line 2: "\\u001b[2J" is given twice in one entry (first on line 2)`);
    // The same keys in two entries are not a repeat.
    writeFileSync(file, '[\n{"token": "first-0123456789abcdef", "principalId": "p", "role": "agent"},\n{"token": "second-0123456789abcdef", "principalId": "q", "role": "admin"}\n]');
    expect(readTokenFile(file).map((token) => token.principalId)).toEqual(['p', 'q']);
  });

  it('names the file and the entry when one is wrong, never API_TOKENS', () => {
    for (const [entries, message] of [
      [[{ token: 'x'.repeat(20), principalId: 'boss', role: 'boss' }], /^tokens\.json entry 1 \(boss\): role must be one of/],
      [[{ token: 'short', principalId: 'p', role: 'admin' }], /^tokens\.json entry 1 \(p\): a token needs at least 16 characters/],
      [[{ principalId: 'p', role: 'admin' }], /^tokens\.json entry 1 \(p\) must have a token, a principalId and a role/],
      [['just a string'], /^tokens\.json entry 1 must have a token/],
      // Checked as the API checks a principal id: no control or direction characters, no full-width look-alike of admin.
      [[{ token: 'x'.repeat(20), principalId: 'a\u202eb\n', role: 'agent' }], /^tokens\.json entry 1: principalId must be 1–100 letters, digits or \. _ - @ : \(got "a\\u202eb\\n"\)/],
      [[{ token: 'x'.repeat(20), principalId: 'ｏｐｓ', role: 'admin' }], /^tokens\.json entry 1: principalId must be 1–100 letters/],
      [[{ token: 'x'.repeat(20), principalId: 'cli:root', role: 'admin' }], /^tokens\.json entry 1: principalId must not start with cli:/],
      [[{ token: 'x'.repeat(20), principalId: 'a\u202eb', role: 'admin', Role: 'agent' }], /^tokens\.json entry 1: Role is not a key/],
      [[{ principalId: 'a\u202eb', role: 'admin' }], /^tokens\.json entry 1 must have a token/],
      [[{ token: 'y'.repeat(20), principalId: 'a', role: 'admin' }, { token: 'y'.repeat(20), principalId: 'b', role: 'agent' }], /^tokens\.json lists the same token twice/],
      [[], /must hold a non-empty list/],
      [Array.from({ length: 4000 }, (_, index) => ({ token: `token-${index}-0123456789abcdef`, principalId: `p${index}`, role: 'agent' })), /at most 262144/],
    ] as const) {
      writeFileSync(file, JSON.stringify(entries));
      expect(() => readTokenFile(file)).toThrow(message);
    }
    rmSync(file);
    // A directory (or a FIFO) is refused before it is opened.
    mkdirSync(file);
    expect(() => readTokenFile(file)).toThrow(/must be a regular file/);
  });
});
