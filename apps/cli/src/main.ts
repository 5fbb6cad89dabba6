#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { AccessTokenAlreadyRevokedError, AccessTokenNotFoundError, InvalidAccessCommandError, checkDepartment, type Actor } from '@app/domain';
import { ServiceNetworkRepository } from '@app/after-sales';
import { counted } from '@app/event-sourcing';
import { UnreadableEventError, type EventStore } from '@app/event-store';
import { AccessControl } from '../../api/src/access/access-control.service';
import { AcknowledgeError, TamperEvidence, TamperedHistoryError } from '../../api/src/audit/tamper-evidence';
import { readTokenFile, tokenFilePath } from '../../api/src/auth/token-file';
import { CannotMakeDirectoryError, danglingLinkOn, isUnmakeableDirectory, makeDirectories } from '../../api/src/files/create-once';
import { ConfigError, eventLogFile, loadApiConfig, type ApiConfig, type ConfiguredToken } from '../../api/src/config/api-config';
import { LOG_READER_PAGE_CACHE_KB, openEventStore, openReadStore } from '../../api/src/config/engines';
import { CfpbImportError, cfpbSummary, checkCfpbHeader, importCfpb } from './cfpb/import-cfpb';
import { PROGRAM, parseCommandLine, type Invocation } from './cli-program';
import { AsOfRefusedError, ImportError, checkExport, checkReason, checkTokenIssue, exportEvents, exportSummary, importSummary, loadExport, importTarget, replayLive, replayUntil, requireInputFile, verifyAll, type CheckedExport } from './commands';
import { Progress } from './progress';

async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) });
  if ('exit' in parsed) return parsed.exit;
  const invocation = parsed.run;
  endWithTheReader(WRITES.has(invocation.command));
  requireImportFile(invocation);
  // Only now, with a valid command line, is the configuration read and the data directory made.
  const config = loadApiConfig(process.env);
  const actor = { id: `cli:${userInfo().username}`, role: 'admin' as const };
  // So is a token's request, as far as it needs no data: one refused by its own words makes no store (nor says it made one).
  if (invocation.command === 'token-issue') checkTokenIssue(invocation, actor, new Date());
  // A revocation's or an acknowledgement's reason too: the API's rule, before anything is written.
  if (invocation.command === 'token-revoke' || invocation.command === 'seal-acknowledge') checkReason(invocation.reason);
  // An export is checked whole before the data directory, the store and the seal key are made: a file refused leaves nothing behind.
  const checked = invocation.command === 'import'
    ? await checkExport(invocation.file, { withoutTrailer: invocation.withoutTrailer === true, filtered: invocation.filtered === true })
    : undefined;
  // So is a CFPB extract's header (no rows, or no CFPB columns).
  if (invocation.command === 'import-cfpb') await checkCfpbHeader(invocation.file);
  if (existsSync(config.dataDir) && !statSync(config.dataDir).isDirectory()) {
    throw new ImportError(`DATA_DIR (${config.dataDir}) is a file, not a directory: give the directory the server keeps its data in (./data when DATA_DIR is not set)`);
  }
  requireExistingLog(invocation, config);
  const notice = newLogNotice(invocation, config);
  // The directories this run made (the topmost of each), as they are made: the notice names these, and only these.
  const madeDirectories: string[] = [];
  const madeDataDir = makeDataDir(config.dataDir);
  if (madeDataDir !== undefined) madeDirectories.push(madeDataDir);
  // A command that only reads the log reads it in order: a small page cache (docs/adr/0011, "Where the replay's memory goes").
  const store = await openEventStore(config, { writerThread: false, ...(WRITES.has(invocation.command) ? {} : { pageCacheKb: LOG_READER_PAGE_CACHE_KB }) });
  try {
    // In the try: a seal directory that cannot be made is a refusal after the store was made, which the notice names.
    const evidence = new TamperEvidence(store, config.seals, {
      by: actor.id, now: () => new Date(), log: (_level, message) => process.stderr.write(`${message}\n`), onDirectoryMade: (path) => madeDirectories.push(path),
    });
    if (evidence.keyCreated && config.seals.enabled) process.stderr.write(`created the seal key ${config.seals.keyFile}: keep a copy, away from DATA_DIR\n`);
    const code = await run(invocation, config, store, evidence, actor, checked);
    // What this command wrote is sealed before it ends (the API seals on its own schedule).
    if (code === 0 && WRITES.has(invocation.command)) await evidence.sealNow();
    return code;
  } finally {
    await store.close();
    if (notice !== undefined) process.stderr.write(notice(madeDirectories));
  }
}

/**
 * DATA_DIR made if it is not there, one level at a time (a recursive mkdir spins for ever under /proc); one that cannot
 * be made (a file on its path, no permission, a read-only file system, /proc) is a refusal that names it (exit 2), not
 * an unexpected failure with the bare errno text (exit 1), and leaves none of the directories above it made.
 */
function makeDataDir(dataDir: string): string | undefined {
  try {
    return makeDirectories(dataDir);
  } catch (error) {
    // The failures that are the operator's to fix: one list, the seal directories' too (UNMAKEABLE_DIRECTORY_CODES).
    if (!isUnmakeableDirectory(error)) throw error;
    // A link to nothing on the way is said as such (mkdir's own words were a bare EEXIST).
    const dangling = danglingLinkOn(dataDir);
    if (dangling !== undefined) throw new ImportError(`DATA_DIR (${dataDir}) cannot be made: ${dangling}`);
    throw new ImportError(`DATA_DIR (${dataDir}) cannot be made (${error.message}): give a directory you can write, `
      + 'the one the server runs with (./data when DATA_DIR is not set)');
  }
}

/** The path an import reads, checked before the configuration is read and anything is made: a wrong path leaves nothing behind. */
function requireImportFile(invocation: Invocation): void {
  if (invocation.command !== 'import' && invocation.command !== 'import-cfpb') return;
  requireInputFile(invocation.file, invocation.command === 'import' ? 'export' : 'cfpb');
}

/**
 * The commands that read a log that must be there: on a DATA_DIR without one they would answer for an empty log
 * (`token revoke` and `seal acknowledge` too: what they act on can only be in the server's log).
 */
const READS_A_LOG: ReadonlySet<Invocation['command']> = new Set(['verify', 'export', 'seal-status', 'replay', 'replay-until', 'token-list', 'token-revoke', 'seal-acknowledge']);

/**
 * A command that reads the log, given a DATA_DIR that holds no SQLite event store (mistyped, or not the server's), is
 * refused before anything is made there: `verify` said "OK: 0 events" and `export` wrote an empty file, with exit 0.
 */
function requireExistingLog(invocation: Invocation, config: ApiConfig): void {
  if (!READS_A_LOG.has(invocation.command) || config.eventStore.kind !== 'sqlite') return;
  const log = eventLogFile(config.dataDir);
  if (existsSync(log)) return;
  throw new ImportError(`no event store in DATA_DIR (${log} does not exist): ${commandWords(invocation)} reads the log the server writes; `
    + 'give the directory the server runs with (DATA_DIR=/path/to/data npm run -s cli -- ...; ./data when DATA_DIR is not set)'
    // What token revoke and seal acknowledge act on can only be in the server's log: a new one would not hold it.
    + (invocation.command === 'token-revoke' || invocation.command === 'seal-acknowledge' ? '' : ', or start the server once (npm start) to make one'));
}

/** The command as typed: `replay --until`, `token revoke`, `seal acknowledge`. */
function commandWords(invocation: Invocation): string {
  return invocation.command === 'replay-until' ? 'replay --until' : invocation.command.replace('-', ' ');
}

/**
 * `token issue` on a DATA_DIR without a log makes one (a store provisioned before the server's first start), and says
 * so, whether the token was issued or refused: on a mistyped DATA_DIR the token would otherwise live in a store no server
 * reads, with exit 0 and no hint, and a refused one would leave a store that hides the typo from the next try. The text
 * names every file the run made, so that removing them leaves no seal of a log that is gone (a false tamper finding).
 */
function newLogNotice(invocation: Invocation, config: ApiConfig): ((madeDirectories: readonly string[]) => string) | undefined {
  if (invocation.command !== 'token-issue' || config.eventStore.kind !== 'sqlite') return undefined;
  const log = eventLogFile(config.dataDir);
  if (existsSync(log)) return undefined;
  // What the run may make, and which of it is there before: only what was not is named (never a key store or seal file
  // that was there, such as the keys.sqlite of a server whose events are elsewhere: its loss would erase personal data).
  const candidates = [log, join(config.dataDir, 'keys.sqlite'), ...(config.seals.enabled ? [config.seals.file, config.seals.keyFile] : [])];
  const before = new Set(candidates.filter((file) => existsSync(file)));
  const directories = [{ label: 'DATA_DIR', path: config.dataDir }, ...(config.seals.enabled
    ? [...new Set([dirname(config.seals.keyFile), dirname(config.seals.file)])].map((path) => ({ label: 'the seal directory', path }))
    : [])];
  // The directories are those the run made, as makeDirectories returned them (the topmost of each; one inside another made
  // is named by that one): not looked for again at the end, when one another process made meanwhile would be there too.
  return (madeDirectories) => {
    const made = candidates.filter((file) => !before.has(file) && existsSync(file));
    const tops = madeDirectories.filter((path) => !madeDirectories.some((other) => other !== path && isInside(path, other)));
    const named = tops.map((top) => `, and the directory ${top}, which it made${madeDirectoryNote(top, directories.filter((directory) => isInside(directory.path, top)))}`);
    return `made a new event store in DATA_DIR (${config.dataDir}), which held none: a token issued into it works only on a server started with this DATA_DIR. `
      + `If DATA_DIR was mistyped, remove what this run made: ${made.join(', ')}${named.join('')}; `
      + 'then issue the token with the server\'s DATA_DIR (./data when DATA_DIR is not set)\n';
  };
}

/** Whether `path` is `directory` or inside it (both resolved as given, links not followed: a run makes what the path says). */
function isInside(path: string, directory: string): boolean {
  const inside = relative(resolve(directory), resolve(path));
  return inside === '' || (inside !== '..' && !inside.startsWith(`..${sep}`) && !isAbsolute(inside));
}

/** What a directory the run made holds of those the notice speaks of: DATA_DIR when it is not DATA_DIR itself, the seal directory. */
function madeDirectoryNote(top: string, inside: readonly { label: string; path: string }[]): string {
  if (inside.length === 0) return '';
  if (inside.length === 1 && normalize(inside[0]!.path) === top) return inside[0]!.label === 'DATA_DIR' ? '' : ` (${inside[0]!.label})`;
  return ` (${inside.map((directory) => `${directory.label}, ${directory.path},`).join(' and ')} ${inside.length === 1 ? 'is' : 'are'} in it)`;
}

/**
 * A reader of the standard output that has gone (`npm run cli -- export | head`) ends a command that only
 * reads quietly, with exit code 0, as other command-line tools do: its writes failed with EPIPE, an error nobody
 * handled (a stack trace, exit code 1). A command that wrote to the log says its output was lost (exit code 1).
 */
function endWithTheReader(writes: boolean): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    if (writes) process.stderr.write('Failed: the standard output was closed before the output was written (its reader ended); what the command wrote to the log stays written\n');
    process.exit(writes ? 1 : 0);
  });
}

/** The commands that append to the log, and so seal when they are done. */
const WRITES: ReadonlySet<Invocation['command']> = new Set(['import', 'import-cfpb', 'token-issue', 'token-revoke']);

async function run(invocation: Invocation, config: ApiConfig, store: EventStore, evidence: TamperEvidence, actor: Actor, checked: CheckedExport | undefined): Promise<number> {
  {
    switch (invocation.command) {
      case 'verify': {
        const result = await verifyAll(store, { heads: invocation.heads, writeHeads: invocation.writeHeads, evidence });
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        const open = result.report.findings.filter((finding) => finding.acknowledged === null);
        const sealing = result.report.seals.sealing ? `${counted(result.report.seals.count, 'seal')} compared` : 'SEALS OFF: a cut tail cannot be told';
        if (result.ok) process.stderr.write(`OK: ${counted(result.streams, 'stream')}, ${counted(result.events, 'event')}; ${sealing}${result.report.findings.length > 0 ? `; ${counted(result.report.findings.length, 'acknowledged finding')}` : ''}\n`);
        else if (open.length > 0) process.stderr.write(`TAMPERED: ${counted(open.length, 'open finding')}; first: ${open[0]!.description}\n`);
        else process.stderr.write(`BROKEN: ${counted(result.broken.length, 'saved head')} no longer in their chain; first: ${result.broken[0]!.stream} at revision ${result.broken[0]!.revision}\n`);
        // A log with events and no seal here is most often a SEAL_DIR other than the server's: the cut tail went unchecked.
        if (result.ok && config.seals.enabled && result.report.seals.count === 0 && result.events > 0) {
          process.stderr.write(`WARNING: no seal of this log in ${config.seals.file}, so a cut tail was not checked: run with the server's SEAL_DIR (README, "Audit")\n`);
        }
        return result.ok ? 0 : 1;
      }
      case 'seal-status': {
        process.stdout.write(`${JSON.stringify({ settings: config.seals, latest: (await evidence.verify()).report.seals }, null, 2)}\n`);
        return 0;
      }
      case 'seal-acknowledge': {
        const access = new AccessControl(store, () => new Date());
        await access.start();
        try {
          const result = await evidence.acknowledge(access, actor, invocation.reason);
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          process.stderr.write(`acknowledged ${counted(result.acknowledged.length, 'finding')} as ${actor.id}; re-applied ${counted(result.reappliedRevocations.length, 'revocation')}; sealed the log as it stands\n`);
          return 0;
        } finally {
          await access.close();
        }
      }
      case 'export': {
        const { from, to, stream, type } = invocation;
        const write = (line: string) => new Promise<void>((resolve) => (process.stdout.write(line) ? resolve() : process.stdout.once('drain', resolve)));
        const count = await exportEvents(store, write, { from, to, stream, type });
        process.stderr.write(`${exportSummary(count)}\n`);
        return 0;
      }
      case 'import': {
        const target = importTarget(config.eventStore.kind === 'sqlite' ? { kind: 'sqlite', dataDir: config.dataDir } : { kind: 'kurrentdb', dataDir: config.dataDir, url: config.eventStore.url });
        // Checked before the store was opened (main); loaded now, into a store that must be empty.
        if (checked === undefined) throw new Error(`${PROGRAM}: import reached without its file checked`);
        const result = await loadExport(store, checked, { target });
        process.stderr.write(`${importSummary(result)}\n`);
        return 0;
      }
      case 'replay': {
        const readStore = await openReadStore(config);
        try {
          const result = await replayLive(store, readStore, invocation.projection === undefined ? undefined : [invocation.projection]);
          process.stderr.write(`rebuilt and activated ${result.generations.join(', ')}; a running projector adopts them within a second\n`);
        } finally {
          await readStore.close();
        }
        return 0;
      }
      case 'replay-until': {
        const readStore = await openReadStore(config);
        try {
          const result = await replayUntil(store, readStore, invocation.until, invocation.into, invocation.untilText, { replace: invocation.replace });
          process.stderr.write(`built the read models as of ${invocation.untilText} into "${invocation.into}": ${result.applied} events applied; query with asOf=${invocation.into}\n`);
        } finally {
          await readStore.close();
        }
        return 0;
      }
      case 'import-cfpb': {
        const { file, customerKey, company, limit } = invocation;
        const progress = new Progress('import-cfpb', existsSync(file) ? statSync(file).size : 0, process.stderr, 'bytes');
        const report = await importCfpb(store, file, { customerKey, ...(company === undefined ? {} : { company }), ...(limit === undefined ? {} : { limit }), onProgress: (bytes) => progress.reach(bytes) });
        progress.finish();
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        process.stderr.write(`${cfpbSummary(report)}\n`);
        return 0;
      }
      case 'token-issue':
      case 'token-revoke':
      case 'token-list':
        return await tokenCommand(store, invocation, actor, configuredTokensOf(config));
      default:
        return unhandled(invocation);
    }
  }
}

/** The tokens the API takes from its configuration: API_TOKENS, else DATA_DIR/tokens.json if there is one (never created here). */
function configuredTokensOf(config: ApiConfig): readonly ConfiguredToken[] {
  if (config.tokens !== undefined) return config.tokens;
  const file = tokenFilePath(config.dataDir);
  return existsSync(file) ? readTokenFile(file) : [];
}

function unhandled(invocation: never): never {
  throw new Error(`${PROGRAM}: no handler for ${JSON.stringify(invocation)}`);
}

/** Token management from the operator's shell: the actor is recorded as cli:<login name>, with the admin role. */
async function tokenCommand(store: EventStore, invocation: Extract<Invocation, { command: `token-${string}` }>, actor: Actor, configured: readonly ConfiguredToken[]): Promise<number> {
  // The configured tokens too, so that `token list` shows every token the API would take, as GET /access/tokens does.
  const access = new AccessControl(store, () => new Date(), configured);
  await access.start();
  try {
    switch (invocation.command) {
      case 'token-issue': {
        const { principal, role, reason, expiresInDays } = invocation;
        let { departments } = invocation;
        // The scope names units of the directory once it has any, as POST /access/tokens checks, recorded in the directory's spelling.
        if (departments !== undefined) {
          const { state } = await new ServiceNetworkRepository(store).load();
          departments = departments.map((department) => {
            const verdict = checkDepartment(state, department, '--departments');
            if (!verdict.ok) throw new InvalidAccessCommandError(verdict.field, verdict.message);
            return verdict.unit?.code ?? department;
          });
        }
        const { token, grant } = await access.issue({
          principalId: principal, role, reason,
          ...(departments === undefined ? {} : { departments }), ...(expiresInDays === undefined ? {} : { expiresInDays }),
        }, { actor, reason });
        process.stdout.write(`${JSON.stringify({ ...grant, token }, null, 2)}\n`);
        process.stderr.write(`issued token ${grant.tokenId} to ${grant.principalId} (${grant.role}); it is shown only now\n`);
        return 0;
      }
      case 'token-revoke': {
        const { grant } = await access.revoke(invocation.tokenId, { actor, reason: invocation.reason });
        process.stderr.write(`revoked token ${grant.tokenId} of ${grant.principalId} at ${grant.revokedAt}\n`);
        return 0;
      }
      case 'token-list':
        process.stdout.write(`${JSON.stringify(access.list(), null, 2)}\n`);
        return 0;
      default:
        return unhandled(invocation);
    }
  } finally {
    await access.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  const known = error instanceof ConfigError || error instanceof ImportError || error instanceof CfpbImportError
    || error instanceof InvalidAccessCommandError || error instanceof AccessTokenNotFoundError || error instanceof AccessTokenAlreadyRevokedError
    || error instanceof AcknowledgeError || error instanceof TamperedHistoryError || error instanceof UnreadableEventError || error instanceof AsOfRefusedError
    || error instanceof CannotMakeDirectoryError;
  process.stderr.write(`${known ? 'Error' : 'Failed'}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(known ? 2 : 1);
});
