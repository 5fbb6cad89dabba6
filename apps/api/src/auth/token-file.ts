import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ROLES, principalIdProblem, shown } from '@app/domain';
import { visit } from 'jsonc-parser';
import { ConfigError, checkTokens, printable, type ConfiguredToken } from '../config/api-config';
import { createFileOnce, danglingLinkTarget } from '../files/create-once';

export interface TokenFile {
  readonly path: string;
  readonly created: boolean;
  readonly tokens: ConfiguredToken[];
}

/**
 * Without API_TOKENS, the first start writes one random token per role to <dataDir>/tokens.json
 * (mode 600) and later starts read it back.
 */
export function loadOrCreateTokenFile(dataDir: string): TokenFile {
  const path = tokenFilePath(dataDir);
  // A link to a file that is gone is read (and refused, saying so), never written through or around.
  if (existsSync(path) || danglingLinkTarget(path) !== undefined) return { path, created: false, tokens: readTokenFile(path) };
  const tokens = ROLES.map((role) => ({ token: randomBytes(24).toString('base64url'), principalId: `${role}-1`, role }));
  // Another instance starting on the same data dir may have written its tokens first: then those are the tokens.
  const { created } = createFileOnce(path, `${JSON.stringify(tokens, null, 2)}\n`);
  return created ? { path, created, tokens } : { path, created, tokens: readTokenFile(path) };
}

export const tokenFilePath = (dataDir: string): string => join(dataDir, 'tokens.json');

/** The configured tokens are a bootstrap (a few per role), not a directory: 256 KiB is thousands of entries. */
const MAX_TOKEN_FILE_BYTES = 256 * 1024;

/** The tokens a token file lists, or a ConfigError that says what is wrong with it. */
export function readTokenFile(path: string): ConfiguredToken[] {
  // Checked before it is opened: a FIFO would block the process in open(), a huge file the event loop.
  const target = danglingLinkTarget(path);
  if (target !== undefined) {
    throw new ConfigError(`${path} is a symbolic link to ${target}, which does not exist: fix the link, or delete it to have new tokens written at the next start (or set API_TOKENS).`);
  }
  const stat = statSync(path);
  if (!stat.isFile()) throw new ConfigError(`${path} must be a regular file.`);
  if (stat.size > MAX_TOKEN_FILE_BYTES) throw new ConfigError(`${path} is ${stat.size} bytes; a token file holds at most ${MAX_TOKEN_FILE_BYTES} (issue tokens through the API or the CLI instead).`);
  const text = readFileSync(path, 'utf8');
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON (${(error as Error).message}); fix or delete it, or set API_TOKENS.`);
  }
  refuseRepeatedKeys(text, path);
  if (!Array.isArray(entries) || entries.length === 0) throw new ConfigError(`${path} must hold a non-empty list of {token, principalId, role}.`);
  const records = entries.map((entry: unknown) => (entry !== null && typeof entry === 'object' ? entry as Record<string, unknown> : {}));
  records.forEach((record, index) => refuseUnknownKeys(record, `${basename(path)} entry ${index + 1}`));
  return checkTokens(records.map(({ token, principalId, role }) => ({ token, principalId, role })), basename(path));
}

/**
 * A key given twice in one object is refused: JSON.parse keeps the last one without a word, so an
 * operator who pasted a role twice got the second. jsonc-parser (the parser of VS Code's JSON
 * support) reports each key decoded (`"r\u006fle"` is role) with its line; the text is valid JSON by then.
 */
function refuseRepeatedKeys(text: string, path: string): void {
  const objects: Array<Map<string, number>> = [];
  let repeated: { readonly key: string; readonly line: number; readonly first: number } | undefined;
  visit(text, {
    onObjectBegin: () => {
      objects.push(new Map());
    },
    onObjectEnd: () => {
      objects.pop();
    },
    onObjectProperty: (key, _offset, _length, startLine) => {
      const keys = objects[objects.length - 1];
      const first = keys?.get(key);
      if (first === undefined) keys?.set(key, startLine + 1);
      else repeated ??= { key, line: startLine + 1, first };
    },
  });
  if (repeated === undefined) return;
  const key = shown(repeated.key);
  throw new ConfigError(`${path} line ${repeated.line}: ${key} is given twice in one entry (first on line ${repeated.first}), and JSON keeps only the last one without a word: keep one of them.`);
}

const TOKEN_FILE_KEYS: ReadonlySet<string> = new Set(['token', 'principalId', 'role']);

/**
 * A key the file does not know is refused, not ignored: a "departments" that was ignored would leave
 * a token its writer believed limited seeing every department.
 */
function refuseUnknownKeys(record: Record<string, unknown>, entry: string): void {
  const unknown = Object.keys(record).find((key) => !TOKEN_FILE_KEYS.has(key));
  if (unknown === undefined) return;
  const named = typeof record['principalId'] === 'string' && principalIdProblem(record['principalId']) === undefined ? `${entry} (${record['principalId']})` : entry;
  const departments = unknown === 'departments'
    ? ': a configured token sees every department; issue a token limited to departments with POST /access/tokens or `npm run cli -- token issue --departments …`'
    : '';
  throw new ConfigError(`${named}: ${printable(unknown)} is not a key of a configured token (its keys are token, principalId and role)${departments}.`);
}

/**
 * Rotating the configured tokens without a restart: the API reads tokens.json again when it changes
 * (checked every few seconds, and at once on SIGHUP). To rotate, add the new token beside the old
 * one, move the clients to it, then remove the old one. A file that does not read (half written,
 * wrong JSON, a bad entry) changes nothing: the tokens in force stay, and the error is logged.
 */
export class TokenFileFollower {
  private seen: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly apply: (tokens: readonly ConfiguredToken[]) => { added: number; removed: number },
    private readonly log: (level: 'info' | 'error', message: string) => void,
    private readonly intervalMs = 2_000,
  ) {}

  start(): void {
    this.seen = this.signature();
    this.timer = setInterval(() => this.check(), this.intervalMs);
    this.timer.unref();
  }

  /** Reads the file again if it changed (or always, when forced); true when new tokens are in force. */
  check(force = false): boolean {
    const signature = this.signature();
    if (!force && signature === this.seen) return false;
    this.seen = signature;
    try {
      const tokens = readTokenFile(this.path);
      const { added, removed } = this.apply(tokens);
      this.log('info', `tokens: ${this.path} read again: ${tokens.length} configured tokens (${added} added, ${removed} removed)`);
      return true;
    } catch (error) {
      this.log('error', `tokens: ${this.path} changed but was not used, the tokens in force stay: ${(error as Error).message}`);
      return false;
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** What changes when the file is written: its inode (an editor's rename), size and time. */
  private signature(): string {
    try {
      const stat = statSync(this.path);
      return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }
}
