import * as domain from '@app/domain';
import { KNOWN_EVENT_TYPES, closest, parseCommandLine, parseIsoInstant, type ParsedCommandLine } from './cli-program';
import { parseAsOfUntil } from '@app/read-models';

/** Parses a command line as the shell would split it, and keeps what it printed. */
function parse(line: string): ParsedCommandLine & { out: string; err: string } {
  const printed = { out: '', err: '' };
  const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
  const result = parseCommandLine(words, { out: (text) => (printed.out += text), err: (text) => (printed.err += text) });
  return { ...result, ...printed };
}

describe('the command line parser', () => {
  describe('parses every command the README shows', () => {
    it.each([
      ['verify', { command: 'verify' }],
      ['verify --write-heads heads.json', { command: 'verify', writeHeads: 'heads.json' }],
      ['verify --heads heads.json', { command: 'verify', heads: 'heads.json' }],
      ['export', { command: 'export' }],
      ['export --from 2026-06-01 --to 2026-07-01 --stream complaint-7 --type ComplaintResolved',
        { command: 'export', from: '2026-06-01T00:00:00.000Z', to: '2026-07-01T00:00:00.000Z', stream: 'complaint-7', type: 'ComplaintResolved' }],
      ['export --from=2026-06-01T08:00:00+08:00 --type AccessTokenRevoked', { command: 'export', from: '2026-06-01T00:00:00.000Z', type: 'AccessTokenRevoked' }],
      ['import events.ndjson', { command: 'import', file: 'events.ndjson' }],
      ['import --without-trailer old.ndjson', { command: 'import', file: 'old.ndjson', withoutTrailer: true }],
      ['import --filtered one-stream.ndjson', { command: 'import', file: 'one-stream.ndjson', filtered: true }],
      ['replay', { command: 'replay' }],
      ['replay --projection customer-loyalty', { command: 'replay', projection: 'customer-loyalty' }],
      ['replay --until 2026-06-30 --into 2026-06-30', { command: 'replay-until', until: { time: '2026-06-30T23:59:59.999Z' }, untilText: '2026-06-30', into: '2026-06-30', replace: false }],
      ['replay --until 2026-06-30T12:00:00Z --into noon', { command: 'replay-until', until: { time: '2026-06-30T12:00:00.000Z' }, untilText: '2026-06-30T12:00:00Z', into: 'noon', replace: false }],
      ['replay --until 1200 --into p1200', { command: 'replay-until', until: { position: 1200 }, untilText: '1200', into: 'p1200', replace: false }],
      ['replay --until 1200 --into p1200 --replace', { command: 'replay-until', until: { position: 1200 }, untilText: '1200', into: 'p1200', replace: true }],
      // The cut recorded in its one spelling, as POST /analytics/as-of records it.
      ['replay --until 001200 --into p1200', { command: 'replay-until', until: { position: 1200 }, untilText: '1200', into: 'p1200', replace: false }],
      ['replay --until 2026-06-30T12:00:00+00:00 --into noon', { command: 'replay-until', until: { time: '2026-06-30T12:00:00.000Z' }, untilText: '2026-06-30T12:00:00Z', into: 'noon', replace: false }],
      ['import-cfpb datasets/cfpb/cfpb-fullschema-sample-2019.csv.gz', { command: 'import-cfpb', file: 'datasets/cfpb/cfpb-fullschema-sample-2019.csv.gz', customerKey: 'complaint' }],
      ['import-cfpb extract.csv --customer-key zip --company "Bank of America" --limit 500', { command: 'import-cfpb', file: 'extract.csv', customerKey: 'zip', company: 'Bank of America', limit: 500 }],
      ['token issue --principal zhang.wei --role supervisor --departments station-ops,billing --reason "Night shift lead"',
        { command: 'token-issue', principal: 'zhang.wei', role: 'supervisor', departments: ['station-ops', 'billing'], reason: 'Night shift lead' }],
      ['token issue --principal li.na --role analyst --reason Audit --expires-in-days 30', { command: 'token-issue', principal: 'li.na', role: 'analyst', reason: 'Audit', expiresInDays: 30 }],
      ['token revoke 3f2c9a --reason "Shift over"', { command: 'token-revoke', tokenId: '3f2c9a', reason: 'Shift over' }],
      ['token list', { command: 'token-list' }],
    ])('%s', (line, invocation) => {
      const result = parse(line);
      expect(result).toMatchObject({ run: invocation, err: '' });
      expect('run' in result && result.run).toEqual(invocation);
    });
  });

  describe('prints help and exits 0 without running anything', () => {
    it.each([
      ['verify --help', 'verify'],
      ['verify -h', 'verify'],
      ['help verify', 'verify'],
      ['export --help', 'export'],
      ['import --help', 'import'],
      ['replay --help', 'replay'],
      ['help replay', 'replay'],
      ['import-cfpb --help', 'import-cfpb'],
      ['token --help', 'token'],
      ['token issue --help', 'token issue'],
      ['help token issue', 'token issue'],
      ['token help revoke', 'token revoke'],
      ['token list --help', 'token list'],
    ])('%s', (line, command) => {
      const result = parse(line);
      expect(result).toMatchObject({ exit: 0, err: '' });
      expect(result.out).toContain(`Usage: complaint-desk ${command} `);
    });

    it('lists every command for --help and help', () => {
      for (const line of ['--help', 'help']) {
        const result = parse(line);
        expect(result).toMatchObject({ exit: 0, err: '' });
        for (const command of ['verify', 'export', 'import', 'replay', 'import-cfpb', 'token']) expect(result.out).toMatch(new RegExp(`^  ${command} `, 'm'));
      }
    });

    it('accepts every event type the domain declares (each aggregate\'s *_EVENT_TYPES), so a new aggregate or event cannot be left out', () => {
      const declared = Object.entries(domain).filter(([name]) => name.endsWith('_EVENT_TYPES')).flatMap(([, types]) => [...(types as Iterable<string>)]);
      expect(declared).toEqual(expect.arrayContaining(['ComplaintReceived', 'EngineerDutyOpened', 'EngineerWorkOrderTaken', 'EngineerStoodDown', 'SubjectSurveySent', 'SatisfactionSurveySent']));
      expect(declared.filter((type) => !KNOWN_EVENT_TYPES.includes(type))).toEqual([]);
      expect(new Set(KNOWN_EVENT_TYPES).size).toBe(KNOWN_EVENT_TYPES.length);
    });

    it('names the event types export --type accepts', () => {
      const result = parse('export --help');
      for (const type of KNOWN_EVENT_TYPES) expect(result.out).toContain(type);
    });

    it('says in import --help that an export ends with a trailer, and what --without-trailer gives up', () => {
      const result = parse('import --help');
      // Commander wraps the help to the terminal's width.
      const help = result.out.replace(/\s+/g, ' ');
      expect(help).toContain('--without-trailer');
      expect(help).toContain("a file cut at a line's end goes unseen");
      expect(help).toContain('An export ends with a trailer line');
    });
  });

  describe('refuses with exit 2 and says how to fix it', () => {
    it.each([
      ['replay --projecton x', "unknown option '--projecton'", 'Did you mean --projection?'],
      ['export --form 2026-06-01', "unknown option '--form'", 'Did you mean --from?'],
      ['verify --write-head heads.json', "unknown option '--write-head'", 'Did you mean --write-heads?'],
      ['token issue --principal a --role agent --reason r --department x', "unknown option '--department'", 'Did you mean --departments?'],
    ])('an unknown option, suggesting the near one: %s', (line, problem, suggestion) => {
      const result = parse(line);
      expect(result).toMatchObject({ exit: 2, out: '' });
      expect(result.err).toContain(problem);
      expect(result.err).toContain(suggestion);
      expect(result.err).toMatch(/Run 'complaint-desk [a-z -]+ --help' for its usage/);
    });

    it('an unknown option with nothing near it', () => {
      const result = parse('verify --bogus');
      expect(result).toMatchObject({ exit: 2 });
      expect(result.err).toContain("unknown option '--bogus'");
      expect(result.err).toContain("Run 'complaint-desk verify --help'");
    });

    it('an unknown event type, naming the known ones', () => {
      const result = parse('export --type Bogus');
      expect(result).toMatchObject({ exit: 2, out: '' });
      expect(result.err).toContain("argument 'Bogus' is invalid");
      for (const type of KNOWN_EVENT_TYPES) expect(result.err).toContain(type);
    });

    it('an event type with a slip, suggesting the right one', () => {
      expect(parse('export --type complaintresolved').err).toContain('Did you mean ComplaintResolved?');
      expect(parse('export --type ComplaintResolve').err).toContain('Did you mean ComplaintResolved?');
    });

    it('an unknown projection, naming the known ones', () => {
      const result = parse('replay --projection customer-loyality');
      expect(result).toMatchObject({ exit: 2 });
      expect(result.err).toContain('Did you mean customer-loyalty?');
      expect(result.err).toContain('complaint-list');
    });

    it.each([
      'export --from 2026-13-45', 'export --to 9999-99-99', 'export --from 2026-02-30', 'export --from 2026-06-30T08:00:00',
      'export --from yesterday', 'export --to 2026-06-30T25:00:00Z', 'export --from "June 30 2026"', 'export --from 2026-6-30',
    ])('a date that is not a valid ISO 8601 date: %s', (line) => {
      const result = parse(line);
      expect(result).toMatchObject({ exit: 2 });
      expect(result.err).toContain('takes an ISO 8601 date');
    });

    it('--from after --to', () => {
      const result = parse('export --from 2026-07-01 --to 2026-06-01');
      expect(result).toMatchObject({ exit: 2 });
      expect(result.err).toContain('must be before --to');
    });

    it.each([
      ['verify --heads', "option '--heads <file>' argument missing"],
      ['export --stream', "option '--stream <name>' argument missing"],
      ['export --stream --type ComplaintReceived', '--stream needs a value; --type is the next option'],
      ['import', "missing required argument 'file'"],
      ['import-cfpb', "missing required argument 'file'"],
      ['import-cfpb extract.csv --limit', "option '--limit <rows>' argument missing"],
      ['token issue --role agent --reason r', "required option '--principal <id>' not specified"],
      ['token issue --principal a --reason r', "required option '--role <role>' not specified"],
      ['token issue --principal a --role agent', "required option '--reason <text>' not specified"],
      ['token revoke --reason r', "missing required argument 'token-id'"],
      ['token revoke 3f2c9a', "required option '--reason <text>' not specified"],
      ['replay --until 2026-06-30', 'needs both --until'],
      ['replay --into june', 'needs both --until'],
    ])('a missing value: %s', (line, message) => {
      const result = parse(line);
      expect(result).toMatchObject({ exit: 2, out: '' });
      expect(result.err).toContain(message);
    });

    it.each([
      ['replay --until 2026-02-30 --into feb', '--until takes an ISO 8601 date'],
      ['replay --until 2026-03-01T00:00:00.1234Z --into x', 'at most three digits after the seconds (milliseconds), in the years 0000-9999'],
      ['replay --until 2026-06-30 --into "no spaces"', '--into: a name of letters'],
      ['replay --projection sla --until 2026-06-30 --into june', 'cannot be used with option'],
      ['import-cfpb extract.csv --customer-key city', 'Allowed choices are complaint, zip, state'],
      ['import-cfpb extract.csv --limit 0', '--limit takes a whole number'],
      ['import-cfpb extract.csv --limit 1e3', '--limit takes a whole number'],
      ['token issue --principal a --role root --reason r', 'Allowed choices are agent, supervisor, engineer, analyst, auditor, admin'],
      ['token issue --principal a --role agent --reason r --expires-in-days 4000', '--expires-in-days takes a whole number from 1 to 3650'],
      ['verify extra', "too many arguments for 'verify'"],
      ['import a.ndjson b.ndjson', "too many arguments for 'import'"],
      ['token list all', "too many arguments for 'list'"],
    ])('a value it cannot take: %s', (line, message) => {
      const result = parse(line);
      expect(result).toMatchObject({ exit: 2, out: '' });
      expect(result.err).toContain(message);
    });

    it('an unknown command, suggesting the near one', () => {
      const result = parse('verfy');
      expect(result).toMatchObject({ exit: 2, out: '' });
      expect(result.err).toContain("unknown command 'verfy'");
      expect(result.err).toContain('Did you mean verify?');
    });

    it('no command, or a group without its subcommand, with the usage on stderr', () => {
      expect(parse('')).toMatchObject({ exit: 2, out: '', err: expect.stringContaining('Usage: complaint-desk <command> [options]') });
      expect(parse('token')).toMatchObject({ exit: 2, out: '', err: expect.stringContaining('Usage: complaint-desk token') });
      expect(parse('token grant')).toMatchObject({ exit: 2, err: expect.stringContaining("unknown command 'grant'") });
    });
  });
});

describe('ISO 8601 instants on the command line', () => {
  it('reads a date as the whole UTC day', () => {
    expect(parseIsoInstant('2026-06-30')).toEqual({ start: Date.parse('2026-06-30T00:00:00Z'), end: Date.parse('2026-06-30T23:59:59.999Z') });
    expect(parseIsoInstant('2028-02-29')).toBeDefined();
  });

  it('reads a date and time with its zone as that instant', () => {
    expect(parseIsoInstant('2026-06-30T08:00:00+08:00')).toEqual({ start: Date.parse('2026-06-30T00:00:00Z'), end: Date.parse('2026-06-30T00:00:00Z') });
    expect(parseIsoInstant('2026-06-30T08:00Z')?.start).toBe(Date.parse('2026-06-30T08:00:00Z'));
    expect(parseIsoInstant('2026-06-30T08:00:00.250Z')?.start).toBe(Date.parse('2026-06-30T08:00:00.250Z'));
    // The ends of the offsets in use.
    expect(parseIsoInstant('2026-06-30T14:00:00+14:00')?.start).toBe(Date.parse('2026-06-30T00:00:00Z'));
    expect(parseIsoInstant('2026-06-29T12:00:00-12:00')?.start).toBe(Date.parse('2026-06-30T00:00:00Z'));
    // The ends of the years 0000-9999 in UTC.
    expect(parseIsoInstant('9999-12-31T22:59:59.999-01:00')?.start).toBe(Date.parse('9999-12-31T23:59:59.999Z'));
    expect(parseIsoInstant('9999-12-31')?.end).toBe(Date.parse('9999-12-31T23:59:59.999Z'));
    expect(parseIsoInstant('0000-01-01T01:00:00+01:00')?.start).toBe(Date.parse('0000-01-01T00:00:00Z'));
    // The years 0000-9999 once in UTC, as every instant of the API: the first century too (Date.UTC read 0050 as 1950).
    expect(parseAsOfUntil('9999-12-31T11:59:59-12:00')).toEqual({ time: '9999-12-31T23:59:59.000Z' });
    expect(parseAsOfUntil('9999-12-31')).toEqual({ time: '9999-12-31T23:59:59.999Z' });
    expect(parseAsOfUntil('0050-06-01')).toEqual({ time: '0050-06-01T23:59:59.999Z' });
  });

  it.each(['2026-02-29', '2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-06-30T24:00:00Z', '2026-06-30T08:60:00Z', '2026-06-30T08:00:00', '2026-06-30 08:00:00Z', '+002026-06-30', '', '2026-06-30T08:00:00+14:01', '2026-06-30T08:00:00-12:01', '2026-06-30T08:00:00+23:00',
    // The rule of every date-time: a UTC instant in the years 0000-9999, at most milliseconds.
    '9999-12-31T23:30:00-01:00', '+9999-12-31T23:00:00-12:00', '0000-01-01T00:00:00+01:00', '2026-06-30T08:00:00.1234Z', '2026-06-30T08:00:00.1234567+08:00',
    // In year 10000 once in UTC: its ISO text (+010000-…) sorted before every event's time, and the build applied none (an attacker's MEDIUM).
    '9999-12-31T23:59:59-12:00', '9999-12-31T23:59:59.001-00:01'])('refuses %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});

describe('the nearest known word', () => {
  it('finds a slip of case, a missing letter or two swapped letters', () => {
    const known = ['ComplaintReceived', 'ComplaintResolved', 'CallbackDone'];
    expect(closest('complaintreceived', known)).toBe('ComplaintReceived');
    expect(closest('ComplaintResolve', known)).toBe('ComplaintResolved');
    expect(closest('CallbakcDone', known)).toBe('CallbackDone');
  });

  it('suggests nothing for another word', () => {
    expect(closest('Bogus', ['ComplaintReceived', 'CallbackDone'])).toBeUndefined();
  });
});
