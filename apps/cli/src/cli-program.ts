import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  ACCESS_EVENT_TYPES, INSTANT_RULE, AGENT_DUTY_EVENT_TYPES, COMPLAINT_EVENT_TYPES, CUSTOMER_FILE_EVENT_TYPES, ENGINEER_DUTY_EVENT_TYPES, NOTIFICATION_EVENT_TYPES, PRODUCT_EVENT_TYPES, ROLES,
  SATISFACTION_SURVEY_EVENT_TYPES, SERVICE_NETWORK_EVENT_TYPES, SURVEY_CAMPAIGN_EVENT_TYPES, SURVEY_SUBJECT_EVENT_TYPES, TAMPER_EVENT_TYPES, WEBHOOK_EVENT_TYPES, WORK_ORDER_EVENT_TYPES, type Role,
} from '@app/domain';
import { ALL_PROJECTIONS, AS_OF_NAME, AS_OF_NAME_RULE, asOfUntilSpelling, parseAsOfUntil, parseIsoInstant, type AsOfUntil } from '@app/read-models';

/** Shared with the API (libs/read-models): what a date or date-time in ISO 8601 names. */
export { parseIsoInstant };

export const PROGRAM = 'complaint-desk';

/** Every event type the domain writes: what `export --type` accepts (a spec compares it with every `*_EVENT_TYPES` of @app/domain). */
export const KNOWN_EVENT_TYPES: readonly string[] = [
  ...COMPLAINT_EVENT_TYPES, ...WORK_ORDER_EVENT_TYPES, ...SERVICE_NETWORK_EVENT_TYPES, ...ENGINEER_DUTY_EVENT_TYPES, ...AGENT_DUTY_EVENT_TYPES, ...PRODUCT_EVENT_TYPES, ...CUSTOMER_FILE_EVENT_TYPES,
  ...SATISFACTION_SURVEY_EVENT_TYPES, ...SURVEY_CAMPAIGN_EVENT_TYPES, ...SURVEY_SUBJECT_EVENT_TYPES, ...NOTIFICATION_EVENT_TYPES, ...WEBHOOK_EVENT_TYPES, ...ACCESS_EVENT_TYPES, ...TAMPER_EVENT_TYPES,
];

export type CustomerKey = 'complaint' | 'zip' | 'state';

/**
 * What the command line asked for, parsed and checked; main.ts carries it out. A new command adds a
 * case here and registers its parsing in one of the {@link GROUPS} (a new group, such as `seal …`,
 * is one more register function in that list); main.ts's switch refuses to compile until it
 * handles the case.
 */
export type Invocation =
  | { readonly command: 'verify'; readonly heads?: string; readonly writeHeads?: string }
  | { readonly command: 'export'; readonly from?: string; readonly to?: string; readonly stream?: string; readonly type?: string }
  | { readonly command: 'import'; readonly file: string; readonly withoutTrailer?: true; readonly filtered?: true }
  | { readonly command: 'replay'; readonly projection?: string }
  | { readonly command: 'replay-until'; readonly until: AsOfUntil; readonly untilText: string; readonly into: string; readonly replace: boolean }
  | { readonly command: 'import-cfpb'; readonly file: string; readonly customerKey: CustomerKey; readonly company?: string; readonly limit?: number }
  | {
      readonly command: 'token-issue'; readonly principal: string; readonly role: Role; readonly reason: string;
      readonly departments?: readonly string[]; readonly expiresInDays?: number;
    }
  | { readonly command: 'token-revoke'; readonly tokenId: string; readonly reason: string }
  | { readonly command: 'token-list' }
  | { readonly command: 'seal-acknowledge'; readonly reason: string }
  | { readonly command: 'seal-status' };

/** Either run an invocation, or exit at once: help printed (0) or a usage error explained (2). */
export type ParsedCommandLine = { readonly run: Invocation } | { readonly exit: number };

export interface CommandLineOutput {
  /** Help asked for. */
  readonly out: (text: string) => void;
  /** Usage errors, and help shown because of one. */
  readonly err: (text: string) => void;
}

/** Exit code of a usage error: an unknown command, option or value, or a missing one. */
export const USAGE_ERROR = 2;

/**
 * Parses the arguments after the program name. Nothing here opens a store or reads the
 * environment, so `--help` and every usage error answer without touching any data.
 */
export function parseCommandLine(args: readonly string[], output: CommandLineOutput): ParsedCommandLine {
  let invocation: Invocation | undefined;
  const program = buildProgram((parsed) => (invocation = parsed), output);
  try {
    program.parse(helpAsFlag(args), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return { exit: error.exitCode === 0 ? 0 : USAGE_ERROR };
    throw error;
  }
  // Every command either sets an invocation or ends in a CommanderError; a group without a
  // subcommand (`token`) prints its help through that path, so this is only a safety net.
  return invocation === undefined ? { exit: USAGE_ERROR } : { run: invocation };
}

/** `help token issue` shows that subcommand's help (commander's own help command stops at `token`). */
function helpAsFlag(args: readonly string[]): string[] {
  return args[0] === 'help' && args.length > 2 ? [...args.slice(1), '--help'] : [...args];
}

type Register = (program: Command, run: (invocation: Invocation) => void) => void;

/** The command groups, in the order the help lists them. */
const GROUPS: readonly Register[] = [historyCommands, replayCommand, importCfpbCommand, tokenCommands, sealCommands];

export function buildProgram(run: (invocation: Invocation) => void, output: CommandLineOutput): Command {
  const program = new Command(PROGRAM)
    .description('Complaint Desk from the shell. Data in DATA_DIR (default ./data), or the servers that EVENT_STORE / READ_STORE name.\n'
      + 'JSON results go to stdout, progress and messages to stderr.\n'
      + 'Exit codes: 0 done; 1 verify found a broken chain, or an unexpected failure; 2 a usage error or a refused operation.')
    .usage('<command> [options]')
    // Settings below are copied to every subcommand created after them.
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .showHelpAfterError(`Run '${PROGRAM} --help' for the commands.`);
  for (const register of GROUPS) register(program, run);
  return program;
}

/** A subcommand that points at its own help after a usage error. */
function subcommand(parent: Command, name: string, description: string): Command {
  const path = `${commandPath(parent)} ${name}`;
  return parent.command(name).description(description).showHelpAfterError(`Run '${path} --help' for its usage.`);
}

function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

/** A usage error found after commander's own checks (a combination of options, say). */
function usageError(command: Command, message: string): never {
  return command.error(`error: ${message}`, { exitCode: USAGE_ERROR, code: 'complaint-desk.usage' });
}

function historyCommands(program: Command, run: (invocation: Invocation) => void): void {
  subcommand(program, 'verify', 'check the whole store: every hash chain, every whole-log link and every seal; exit 1 on an open finding')
    .option('--write-heads <file>', "save each stream's head (revision and hash) to FILE; keep it elsewhere", text('--write-heads'))
    .option('--heads <file>', 'also check that every head saved in FILE is still in its chain', text('--heads'))
    .addHelpText('after', '\nThe result is JSON on stdout; the exit code is 1 when a chain is broken.')
    .action((options: { heads?: string; writeHeads?: string }) => run({ command: 'verify', ...options }));

  subcommand(program, 'export', 'write the events that match, in global order, as NDJSON on stdout')
    .option('--from <iso>', 'only events that occurred at or after this ISO 8601 date or time (a date alone: its start, UTC)', instantText('--from'))
    .option('--to <iso>', 'only events that occurred before this ISO 8601 date or time (a date alone: its start, UTC)', instantText('--to'))
    .option('--stream <name>', 'only this stream', text('--stream'))
    .option('--type <type>', 'only events of this type', oneOf('event types', KNOWN_EVENT_TYPES))
    .addHelpText('after', `\nEvent types: ${KNOWN_EVENT_TYPES.join(', ')}.\nExample: ${PROGRAM} export --from 2026-06-01 --to 2026-07-01 --type ComplaintResolved > june.ndjson`)
    .action(function (this: Command, options: { from?: string; to?: string; stream?: string; type?: string }) {
      if (options.from !== undefined && options.to !== undefined && options.from >= options.to) usageError(this, `--from (${options.from}) must be before --to (${options.to})`);
      run({ command: 'export', ...options });
    });

  subcommand(program, 'import', 'load an export into an empty DATA_DIR; every chain must verify, and the export\'s trailer must match')
    .argument('<file>', 'an NDJSON export')
    .option('--without-trailer', 'take a file without a trailer, as exports before it wrote them; a file cut at a line\'s end goes unseen then')
    .option('--filtered', 'take an export made with --from, --to, --stream or --type: part of a history, loaded on purpose (a restore needs a whole export)')
    .addHelpText('after', [
      '',
      'An export ends with a trailer line that counts its events and streams and hashes every line before it: a file cut short',
      '(even at a line\'s end), or with lines or streams left out or changed, is refused before the data dir, its store or a seal key is made.',
      `Example: ${PROGRAM} export > events.ndjson, then DATA_DIR=./data/copy ${PROGRAM} import events.ndjson`,
    ].join('\n'))
    .action((file: string, options: { withoutTrailer?: boolean; filtered?: boolean }) => run({
      command: 'import', file, ...(options.withoutTrailer === true ? { withoutTrailer: true as const } : {}), ...(options.filtered === true ? { filtered: true as const } : {}),
    }));
}

function replayCommand(program: Command, run: (invocation: Invocation) => void): void {
  subcommand(program, 'replay', 'rebuild read models beside the live ones, then swap; or build them as they stood at a moment')
    .addOption(new Option('--projection <name>', 'rebuild only this read model (default: all)').argParser(oneOf('projections', ALL_PROJECTIONS.map((projection) => projection.name))).conflicts(['until', 'into']))
    .option('--until <moment>', 'an ISO 8601 date (the end of that day, UTC) or time, or a log position: build every read model as of then', text('--until'))
    .option('--into <name>', 'the name the as-of read models are built under (query them with asOf=NAME)', text('--into'))
    .option('--replace', 'build again over an as-of generation of that name that exists (refused otherwise, as by the API)')
    .addHelpText('after', [
      '',
      'Without --until it rebuilds into new generations while the live ones serve, swaps when caught up, and a running projector adopts them.',
      `Examples: ${PROGRAM} replay --projection customer-loyalty`,
      `          ${PROGRAM} replay --until 2026-06-30 --into 2026-06-30`,
    ].join('\n'))
    .action(function (this: Command, options: { projection?: string; until?: string; into?: string; replace?: boolean }) {
      if (options.until === undefined && options.into === undefined) return run({ command: 'replay', ...(options.projection === undefined ? {} : { projection: options.projection }) });
      if (options.until === undefined || options.into === undefined) usageError(this, 'replay as of a moment needs both --until <ISO date or position> and --into NAME');
      if (!AS_OF_NAME.test(options.into)) usageError(this, `--into: a name of ${AS_OF_NAME_RULE} (got ${options.into})`);
      const until = parseAsOfUntil(options.until);
      if (until === undefined) usageError(this, `--until takes an ISO 8601 date (2026-06-30: the end of that day, UTC), a date and time with its zone (2026-06-30T08:00:00Z, an offset from -12:00 to +14:00), or a log position (got ${options.until}): ${INSTANT_RULE}`);
      run({ command: 'replay-until', until, untilText: asOfUntilSpelling(options.until) ?? options.until, into: options.into, replace: options.replace === true });
    });
}

function importCfpbCommand(program: Command, run: (invocation: Invocation) => void): void {
  subcommand(program, 'import-cfpb', 'load a CFPB complaint extract (.csv or .csv.gz) as event history; a JSON report on stdout')
    .argument('<file>', 'the CSV file (.csv or .csv.gz)')
    .addOption(new Option('--customer-key <key>', 'what makes one customer').choices(['complaint', 'zip', 'state']).default('complaint'))
    .option('--company <name>', 'the company, for files without a Company column', text('--company'))
    .option('--limit <rows>', 'import the first ROWS rows only', wholeNumber('--limit', 1, Number.MAX_SAFE_INTEGER))
    .action((file: string, options: { customerKey: CustomerKey; company?: string; limit?: number }) => run({ command: 'import-cfpb', file, ...options }));
}

function sealCommands(program: Command, run: (invocation: Invocation) => void): void {
  const seal = subcommand(program, 'seal', 'the seals of the log (docs/adr/0010): where they are, and acknowledging what verify found');
  subcommand(seal, 'status', 'where the seal key and seals are, and the newest seal (JSON)')
    .action(() => run({ command: 'seal-status' }));
  subcommand(seal, 'acknowledge', 'acknowledge every open finding of verify after investigating it: re-applies the revocations the seals prove, records TamperFindingsAcknowledged as cli:<login name>, seals the log as it stands')
    .requiredOption('--reason <text>', 'why (recorded with each finding)', text('--reason'))
    .addHelpText('after', `\nExample: ${PROGRAM} seal acknowledge --reason "Incident 42: restored from the backup of 1 June"`)
    .action((options: { reason: string }) => run({ command: 'seal-acknowledge', reason: options.reason }));
}

function tokenCommands(program: Command, run: (invocation: Invocation) => void): void {
  const token = subcommand(program, 'token', 'manage API tokens; recorded as cli:<login name> with the admin role');
  subcommand(token, 'issue', 'issue an API token (printed once, as JSON); recorded as AccessTokenIssued')
    .requiredOption('--principal <id>', 'who holds it', text('--principal'))
    .addOption(new Option('--role <role>', 'its role').choices(ROLES).makeOptionMandatory())
    .requiredOption('--reason <text>', 'why (recorded)', text('--reason'))
    .option('--departments <list>', 'comma-separated departments it is limited to (agents and supervisors)', (value: string) => text('--departments')(value).split(',').map((department) => department.trim()).filter(Boolean))
    .option('--expires-in-days <days>', 'lifetime, 1 to 3650 days (default: no expiry)', wholeNumber('--expires-in-days', 1, 3650))
    .action((options: { principal: string; role: Role; reason: string; departments?: string[]; expiresInDays?: number }) => run({ command: 'token-issue', ...options }));
  subcommand(token, 'revoke', 'revoke a token at once (AccessTokenRevoked)')
    .argument('<token-id>', 'the tokenId that issue printed')
    .requiredOption('--reason <text>', 'why (recorded)', text('--reason'))
    .action((tokenId: string, options: { reason: string }) => run({ command: 'token-revoke', tokenId, reason: options.reason }));
  subcommand(token, 'list', 'every token the API takes, configured (API_TOKENS or tokens.json) and managed, with its status (never the token itself)')
    .action(() => run({ command: 'token-list' }));
}

/**
 * A value that is not the next option: commander takes `--stream --type X` as stream "--type",
 * which is always a slip.
 */
function text(flag: string): (value: string) => string {
  return (value) => {
    if (value.startsWith('--')) throw new InvalidArgumentError(`${flag} needs a value; ${value} is the next option.`);
    return value;
  };
}

function wholeNumber(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(Number.isSafeInteger(number) && number >= min && number <= max)) throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max}.`);
    return number;
  };
}

function instantText(flag: string): (value: string) => string {
  return (value) => {
    const instant = parseIsoInstant(value);
    if (instant === undefined) throw new InvalidArgumentError(`${flag} takes an ISO 8601 date (2026-06-30) or a date and time with its zone (2026-06-30T08:00:00Z, 2026-06-30T08:00:00+08:00; an offset from -12:00 to +14:00): ${INSTANT_RULE}.`);
    return new Date(instant.start).toISOString();
  };
}

/** One of a known set, with the nearest one suggested for a slip of the keyboard. */
function oneOf(kinds: string, known: readonly string[]): (value: string) => string {
  return (value) => {
    if (known.includes(value)) return value;
    const near = closest(value, known);
    throw new InvalidArgumentError(`${near === undefined ? 'It is none of the' : `Did you mean ${near}? It is none of the`} ${kinds}: ${known.join(', ')}.`);
  };
}

/** The known word nearest to a typed one, if it is near enough to be a slip rather than another word. */
export function closest(typed: string, known: readonly string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const word of known) {
    const distance = editDistance(typed.toLowerCase(), word.toLowerCase());
    if (distance <= Math.max(1, Math.floor(word.length / 3)) && (best === undefined || distance < best.distance)) best = { word, distance };
  }
  return best?.word;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (__, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => rows[i]![j]!;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      rows[i]![j] = distance;
    }
  }
  return at(a.length, b.length);
}
