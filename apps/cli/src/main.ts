#!/usr/bin/env node
import 'reflect-metadata';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { AccessTokenAlreadyRevokedError, AccessTokenNotFoundError, InvalidAccessCommandError } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { AccessControl } from '../../api/src/access/access-control.service';
import { ConfigError, loadApiConfig } from '../../api/src/config/api-config';
import { openEventStore, openReadStore } from '../../api/src/config/engines';
import { CfpbImportError, cfpbSummary, importCfpb } from './cfpb/import-cfpb';
import { ImportError, exportEvents, importEvents, replayLive, replayUntil, verifyAll } from './commands';
import { Progress } from './progress';

const USAGE = `Usage: complaint-desk <command> [options]   (data in DATA_DIR, default ./data; or EVENT_STORE / READ_STORE)
  verify [--write-heads FILE] [--heads FILE]   check every stream's hash chain; save or check head hashes
  export [--from ISO] [--to ISO] [--stream S] [--type T] > events.ndjson
  import FILE                                    load an export into an empty DATA_DIR; hashes verified
  replay [--projection NAME]                     rebuild read models beside the live ones, then swap (the running projector adopts them)
  replay --until <ISO date | position> --into NAME   every read model as it stood then; query with asOf=NAME
  import-cfpb FILE [--customer-key complaint|zip|state] [--company NAME] [--limit ROWS]
                                                 load a CFPB complaint extract (.csv or .csv.gz) as event history; a JSON report on stdout
  token issue --principal ID --role ROLE --reason TEXT [--departments A,B] [--expires-in-days N]
                                                 issue an API token (printed once, as JSON); recorded as AccessTokenIssued
  token revoke TOKEN_ID --reason TEXT            revoke it at once (AccessTokenRevoked)
  token list                                     every managed token with its status (never the token)`;

/** A date alone means the end of that day (UTC): "as of 2026-06-30" includes June 30. */
function toInstant(text: string): { time: string } {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T23:59:59.999Z`) : Date.parse(text);
  if (Number.isNaN(instant)) throw new ConfigError(`--until must be an ISO 8601 date or time, or a position (got ${text})`);
  return { time: new Date(instant).toISOString() };
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new ConfigError(`--${name} needs a value`);
  return value;
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  const config = loadApiConfig(process.env);
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openEventStore(config);
  try {
    switch (command) {
      case 'verify': {
        const result = await verifyAll(store, { heads: option(rest, 'heads'), writeHeads: option(rest, 'write-heads') });
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        process.stderr.write(result.ok ? `OK: ${result.streams} streams, ${result.events} events\n` : `BROKEN: ${result.broken.length} stream(s); first: ${result.broken[0]!.stream} at revision ${result.broken[0]!.revision}\n`);
        return result.ok ? 0 : 1;
      }
      case 'export': {
        const filter = { from: option(rest, 'from'), to: option(rest, 'to'), stream: option(rest, 'stream'), type: option(rest, 'type') };
        const write = (line: string) => new Promise<void>((resolve) => (process.stdout.write(line) ? resolve() : process.stdout.once('drain', resolve)));
        const count = await exportEvents(store, write, filter);
        process.stderr.write(`exported ${count} events\n`);
        return 0;
      }
      case 'import': {
        const file = rest[0];
        if (!file) throw new ConfigError('import needs the file to read');
        const result = await importEvents(store, file);
        process.stderr.write(`imported ${result.events} events into ${result.streams} streams; every chain verifies; positions ${result.positionsKept ? 'kept' : 'renumbered (the export was not the whole log)'}\n`);
        return 0;
      }
      case 'replay': {
        const until = option(rest, 'until');
        const into = option(rest, 'into');
        if (until === undefined && into === undefined) {
          const readStore = await openReadStore(config);
          try {
            const projection = option(rest, 'projection');
            const result = await replayLive(store, readStore, projection === undefined ? undefined : [projection]);
            process.stderr.write(`rebuilt and activated ${result.generations.join(', ')}; a running projector adopts them within a second\n`);
          } finally {
            await readStore.close();
          }
          return 0;
        }
        if (until === undefined || into === undefined) throw new ConfigError('replay as of a moment needs both --until <ISO date or position> and --into NAME');
        if (!/^[A-Za-z0-9_-]{1,40}$/.test(into)) throw new ConfigError('--into: a name of letters, digits, - and _ (at most 40)');
        const moment = /^\d+$/.test(until) ? { position: Number(until) } : toInstant(until);
        const readStore = await openReadStore(config);
        try {
          const result = await replayUntil(store, readStore, moment, into);
          process.stderr.write(`built the read models as of ${until} into "${into}": ${result.applied} events applied; query with asOf=${into}\n`);
        } finally {
          await readStore.close();
        }
        return 0;
      }
      case 'import-cfpb': {
        const file = rest[0];
        if (!file || file.startsWith('--')) throw new ConfigError('import-cfpb needs the CSV file to read (.csv or .csv.gz)');
        const customerKey = option(rest, 'customer-key') ?? 'complaint';
        if (customerKey !== 'complaint' && customerKey !== 'zip' && customerKey !== 'state') throw new ConfigError(`--customer-key must be complaint, zip or state (got ${customerKey})`);
        const company = option(rest, 'company');
        const limitText = option(rest, 'limit');
        const limit = limitText === undefined ? undefined : Number(limitText);
        if (limit !== undefined && !(Number.isSafeInteger(limit) && limit > 0)) throw new ConfigError(`--limit must be a positive whole number of rows (got ${limitText})`);
        const progress = new Progress('import-cfpb', existsSync(file) ? statSync(file).size : 0, process.stderr, 'bytes');
        const report = await importCfpb(store, file, { customerKey, ...(company === undefined ? {} : { company }), ...(limit === undefined ? {} : { limit }), onProgress: (bytes) => progress.reach(bytes) });
        progress.finish();
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        process.stderr.write(`${cfpbSummary(report)}\n`);
        return 0;
      }
      case 'token':
        return await tokenCommand(store, rest);
      default:
        process.stderr.write(`unknown command: ${command}\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await store.close();
  }
}

/** Token management from the operator's shell: the actor is recorded as cli:<login name>, with the admin role. */
async function tokenCommand(store: EventStore, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const access = new AccessControl(store, () => new Date());
  await access.start();
  try {
    const actor = { id: `cli:${userInfo().username}`, role: 'admin' as const };
    const required = (name: string) => {
      const value = option(rest, name);
      if (value === undefined) throw new ConfigError(`token ${action} needs --${name}`);
      return value;
    };
    switch (action) {
      case 'issue': {
        const departments = option(rest, 'departments')?.split(',').map((department) => department.trim()).filter(Boolean);
        const days = option(rest, 'expires-in-days');
        const expiresInDays = days === undefined ? undefined : Number(days);
        if (expiresInDays !== undefined && !(Number.isInteger(expiresInDays) && expiresInDays >= 1 && expiresInDays <= 3650)) throw new ConfigError(`--expires-in-days must be a whole number from 1 to 3650 (got ${days})`);
        const reason = required('reason');
        const { token, grant } = await access.issue({
          principalId: required('principal'), role: required('role'), reason,
          ...(departments === undefined ? {} : { departments }), ...(expiresInDays === undefined ? {} : { expiresInDays }),
        }, { actor, reason });
        process.stdout.write(`${JSON.stringify({ ...grant, token }, null, 2)}\n`);
        process.stderr.write(`issued token ${grant.tokenId} to ${grant.principalId} (${grant.role}); it is shown only now\n`);
        return 0;
      }
      case 'revoke': {
        const tokenId = rest[0];
        if (!tokenId || tokenId.startsWith('--')) throw new ConfigError('token revoke needs the token id');
        const reason = required('reason');
        const { grant } = await access.revoke(tokenId, { actor, reason });
        process.stderr.write(`revoked token ${grant.tokenId} of ${grant.principalId} at ${grant.revokedAt}\n`);
        return 0;
      }
      case 'list':
        process.stdout.write(`${JSON.stringify(access.list(), null, 2)}\n`);
        return 0;
      default:
        throw new ConfigError('token needs issue, revoke or list');
    }
  } finally {
    await access.close();
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  const known = error instanceof ConfigError || error instanceof ImportError || error instanceof CfpbImportError
    || error instanceof InvalidAccessCommandError || error instanceof AccessTokenNotFoundError || error instanceof AccessTokenAlreadyRevokedError;
  process.stderr.write(`${known ? 'Error' : 'Failed'}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(known ? 2 : 1);
});
