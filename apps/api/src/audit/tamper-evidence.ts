import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { ACCESS_CONTROL_STREAM, LOG_SEALS_STREAM, type Actor, type TamperFindingsAcknowledged } from '@app/domain';
import {
  FileSealLog, LogSealer, chainedEvents, checkAccessControl, revokedInSeals, signSeal, verifyLog,
  type LogFinding, type LogReport, type SealLog,
} from '@app/complaints';
import { chainStart, linkProblem } from '@app/event-sourcing';
import { EventStore, StreamNotFoundError, type RecordedEvent } from '@app/event-store';
import { SEALS_DIRECTORY, SEAL_KEY_DIRECTORY, type SealSettings } from '../config/api-config';
import { createFileOnce, danglingLinkTarget, makeDirectory } from '../files/create-once';
import type { AccessControl } from '../access/access-control.service';

/** The history the API would serve from was tampered with, and nobody has acknowledged it: the process does not start. */
export class TamperedHistoryError extends Error {}

/** Nothing to acknowledge, or sealing is off: the CLI says so and exits 2. */
export class AcknowledgeError extends Error {}

/**
 * Reads the seal key, or makes one (32 random bytes, mode 600) where the settings say, outside DATA_DIR. A directory it
 * makes for it is told to `onDirectoryMade` (the topmost: removing it removes the rest) as soon as it is made.
 */
export function loadOrCreateSealKey(keyFile: string, onDirectoryMade?: (path: string) => void): { key: Buffer; created: boolean } {
  if (existsSync(keyFile)) return { key: readSealKey(keyFile), created: false };
  return createSealKeyUnlessThere(keyFile, onDirectoryMade);
}

function createSealKeyUnlessThere(keyFile: string, onDirectoryMade: ((path: string) => void) | undefined): { key: Buffer; created: boolean } {
  const made = makeDirectory(dirname(keyFile), { purpose: SEAL_KEY_DIRECTORY, mode: 0o700 });
  if (made !== undefined) onDirectoryMade?.(made);
  const { text, created } = createFileOnce(keyFile, `${randomBytes(32).toString('hex')}\n`);
  return { key: created ? Buffer.from(text.trim(), 'hex') : readSealKey(keyFile), created };
}

function readSealKey(keyFile: string): Buffer {
  const text = readFileSync(keyFile, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new TamperedHistoryError(`SEAL_KEY_FILE ${keyFile} does not hold a seal key (64 hex digits); restore it from your backup, or move it away to start a new key (old seals then no longer verify)`);
  return Buffer.from(text, 'hex');
}

/** How sealing goes, as /health reports it. */
export type SealingHealth =
  | { readonly status: 'off'; readonly reason: string }
  | { readonly status: 'ok'; readonly lastSealAt: string | null }
  | { readonly status: 'failing'; readonly error: string; readonly since: string; readonly attempts: number; readonly lastSealAt: string | null };

export interface TamperEvidenceOptions {
  readonly by: string;
  readonly now: () => Date;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Told each directory made for the key and the seals (the topmost of each), as it is made: a refusal after it still tells it. */
  readonly onDirectoryMade?: (path: string) => void;
}

/**
 * The tamper evidence of one process (docs/adr/0010): the start-up check of the access-control
 * history against the seals, the sealer, the whole-store verification and the acknowledgement.
 */
export class TamperEvidence {
  readonly keyCreated: boolean;
  private readonly key: Buffer | undefined;
  private readonly seals: SealLog | undefined;
  private readonly sealer: LogSealer | undefined;

  constructor(private readonly store: EventStore, readonly settings: SealSettings, private readonly options: TamperEvidenceOptions) {
    if (!settings.enabled) {
      this.keyCreated = false;
      return;
    }
    // A new key beside old seals would make every seal unverifiable, and the start-up check pass for want of seals.
    if (!existsSync(settings.keyFile) && existsSync(settings.file) && statSync(settings.file).size > 0) {
      throw new TamperedHistoryError(
        `the seal key ${settings.keyFile} is missing, but ${settings.file} holds seals made with it. Restore the key from your backup; `
        + 'to start again with a new key, move the seal file away first (its seals can then no longer be checked).',
      );
    }
    const { key, created } = loadOrCreateSealKey(settings.keyFile, options.onDirectoryMade);
    const made = makeDirectory(dirname(settings.file), { purpose: SEALS_DIRECTORY, mode: 0o700 });
    if (made !== undefined) options.onDirectoryMade?.(made);
    this.key = key;
    this.keyCreated = created;
    this.seals = new FileSealLog(settings.file, key);
    this.sealer = new LogSealer(store, this.seals, key, {
      logId: settings.logId, by: options.by, now: options.now,
      onProblem: (message) => options.log?.('error', `TAMPER EVIDENCE: ${message}`),
      ...(settings.witnessCommand ? { onSeal: (seal) => this.witness(settings.witnessCommand!, JSON.stringify(seal)) } : {}),
    });
  }

  /** Refuses (TamperedHistoryError) when the access-control history contradicts a seal and nobody acknowledged it. */
  async checkAccessControl(): Promise<void> {
    const open = (await this.accessControlAgainstSeals()).findings.filter((finding) => finding.acknowledged === null);
    if (open.length === 0) return;
    throw new TamperedHistoryError(
      `the access-control history (who may use the API) was tampered with: ${open[0]!.description}${open.length > 1 ? ` (and ${open.length - 1} more)` : ''}. `
      + 'Revoked tokens could work again, so the API does not start. Details: `npm run cli -- verify`. After investigating, an admin acknowledges it with '
      + '`npm run cli -- seal acknowledge --reason "…"`, which records the acknowledgement and re-applies the revocations the seals prove.',
    );
  }

  /**
   * The access-control stream against the heads the seals recorded: a chain that verifies on its
   * own can still be shorter than it was (docs/adr/0010).
   */
  async accessControlAgainstSeals(): Promise<{ ok: boolean; checked: boolean; findings: LogFinding[] }> {
    if (!this.settings.enabled) return { ok: true, checked: false, findings: [] };
    const findings = await checkAccessControl(this.store, this.seals!, this.settings.logId);
    return { ok: findings.every((finding) => finding.acknowledged !== null), checked: true, findings };
  }

  /**
   * Seals now, then every interval while the log moves. The first seal is not awaited: with no
   * seal yet (the first start on an existing log) it folds the whole log, and the API serves meanwhile.
   */
  start(): void {
    if (!this.sealer || !this.settings.enabled) return;
    void this.sealer.seal().catch((error: unknown) => this.options.log?.('error', `TAMPER EVIDENCE: the first seal failed: ${(error as Error).message}`));
    this.sealer.startEvery(this.settings.intervalMs);
    // The key file is looked at beside the seals, at their interval: /health reads what was found, with no file read of its own.
    this.checkKeyFile();
    this.keyCheck = setInterval(() => this.checkKeyFile(), this.settings.intervalMs);
    this.keyCheck.unref();
  }

  /**
   * How sealing goes, for /health: off (and why), ok, or failing with the reason: the last run of the
   * sealer failed, or the key file no longer holds the key this process seals with (seals go on with
   * the key in memory, but the next start would refuse, or start a new key).
   */
  sealing(): SealingHealth {
    if (!this.settings.enabled || !this.sealer) return { status: 'off', reason: this.settings.enabled ? 'not started' : this.settings.reason };
    const { lastSealAt, failure } = this.sealer.health();
    const keyProblem = this.keyProblem;
    if (failure === null && keyProblem === undefined) return { status: 'ok', lastSealAt };
    const since = [failure?.since, keyProblem?.since].filter((at): at is string => at !== undefined).sort()[0]!;
    const error = [...(failure ? [`sealing failed: ${failure.error}`] : []), ...(keyProblem ? [keyProblem.message] : [])].join('; ');
    return { status: 'failing', error, since, attempts: failure?.attempts ?? 0, lastSealAt };
  }

  /** What the last look at the key file found wrong, and since when (checkKeyFile). */
  private keyProblem: { readonly message: string; readonly since: string } | undefined;
  private keyCheck: NodeJS.Timeout | undefined;

  private checkKeyFile(): void {
    const message = this.keyFileProblem();
    this.keyProblem = message === undefined ? undefined : { message, since: this.keyProblem?.since ?? this.options.now().toISOString() };
  }

  private keyFileProblem(): string | undefined {
    const keyFile = this.settings.enabled ? this.settings.keyFile : undefined;
    if (keyFile === undefined) return undefined;
    const restore = 'restore it from your backup before the next start, which would otherwise refuse (seals go on meanwhile with the key this process holds)';
    const target = danglingLinkTarget(keyFile);
    if (target !== undefined) return `the seal key file ${keyFile} is a symbolic link to ${target}, which does not exist: ${restore}`;
    try {
      if (!readSealKey(keyFile).equals(this.key!)) return `the seal key file ${keyFile} no longer holds the key this process seals with: ${restore}`;
    } catch (error) {
      return `the seal key file ${keyFile} can no longer be read (${(error as Error).message}): ${restore}`;
    }
    return undefined;
  }

  /** The last seal, on shutdown (before the stores close). */
  async stop(): Promise<void> {
    if (this.keyCheck) clearInterval(this.keyCheck);
    await this.sealer?.stop();
  }

  /** Seals now if the log moved (the CLI after it wrote). */
  async sealNow(): Promise<void> {
    await this.sealer?.seal();
  }

  /** The whole store: every chain, every link, every seal, and the access-control history against the seals. */
  async verify(options: { keepHashesOf?: ReadonlySet<string>; onEvent?: (event: RecordedEvent) => void } = {}): Promise<Awaited<ReturnType<typeof verifyLog>>> {
    const result = await verifyLog(this.store, { ...options, ...(this.settings.enabled ? { seals: { log: this.seals!, logId: this.settings.logId } } : {}) });
    if (!this.settings.enabled) return result;
    const known = new Set(result.report.findings.map((finding) => finding.id));
    const access = (await checkAccessControl(this.store, this.seals!, this.settings.logId)).filter((finding) => !known.has(finding.id));
    const findings = [...result.report.findings, ...access];
    return { ...result, report: { ...result.report, findings, ok: findings.every((finding) => finding.acknowledged !== null) } };
  }

  /**
   * An operator's acknowledgement of every open finding, with a reason: re-applies the revocations
   * the seals prove were made, records a `TamperFindingsAcknowledged` event, and writes a seal of
   * the log as it now stands that names the findings. The findings stay in every report, marked.
   */
  async acknowledge(access: AccessControl, actor: Actor, reason: string): Promise<{ acknowledged: LogFinding[]; reappliedRevocations: string[]; report: LogReport }> {
    if (!this.settings.enabled) throw new AcknowledgeError(`sealing is off (${this.settings.reason}): there are no seals to acknowledge against`);
    const open = (await this.verify()).report.findings.filter((finding) => finding.acknowledged === null);
    if (open.length === 0) throw new AcknowledgeError('nothing to acknowledge: `verify` finds no open finding');
    if (reason.trim().length === 0) throw new AcknowledgeError('say why with --reason: it is recorded with each finding');
    const entries = await this.seals!.read();
    const provenRevoked = revokedInSeals(entries, this.settings.logId);
    const accessTampered = open.some((finding) => finding.stream === ACCESS_CONTROL_STREAM);
    const unproven = accessTampered ? await this.grantsAfterProvenHistory(entries) : new Set<string>();
    const reapplied: string[] = [];
    for (const token of access.list()) {
      if (token.source !== 'managed' || token.status === 'revoked') continue;
      const why = provenRevoked.has(token.tokenId)
        ? 'a seal records this token as revoked'
        : unproven.has(token.tokenId) ? 'it was granted after the last point of the access-control history a seal proves' : undefined;
      if (why === undefined) continue;
      const verb = provenRevoked.has(token.tokenId) ? 're-applied' : 'revoked';
      await access.revoke(token.tokenId, { actor, reason: `${verb} on acknowledging tampered history: ${why} (${reason})` });
      reapplied.push(token.tokenId);
    }
    await this.record(actor, reason, open, reapplied);
    const { fold } = await verifyLog(this.store);
    await this.seals!.append(signSeal(this.key!, fold.body(this.settings.logId, this.options.by, this.options.now().toISOString(), { findings: open.flatMap((finding) => [finding.id, ...(finding.seals?.ids ?? [])]), reason })));
    return { acknowledged: open, reappliedRevocations: reapplied, report: (await this.verify()).report };
  }

  /**
   * The grants a tampered access-control stream holds beyond what the seals prove. A sealed head hash
   * at revision r proves every event up to r (the chain commits to all of them), so the proven
   * history ends at the last sealed revision whose hash the stream still has, before the chain first
   * breaks; a grant after that may be forged (its token id or hash changed, or inserted) and is revoked.
   */
  private async grantsAfterProvenHistory(entries: Awaited<ReturnType<SealLog['read']>>): Promise<Set<string>> {
    const sealed = new Map<number, Set<string | null>>();
    for (const entry of entries) {
      if (entry.seal === undefined || !entry.authentic || entry.seal.log !== (this.settings.enabled ? this.settings.logId : '')) continue;
      const { revision, hash } = entry.seal.accessControl;
      sealed.set(revision, (sealed.get(revision) ?? new Set()).add(hash));
    }
    let events: RecordedEvent[] = [];
    try {
      events = await this.store.readStream(ACCESS_CONTROL_STREAM, { fromStorage: true });
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    let provenUpTo = -1;
    let previous = chainStart(ACCESS_CONTROL_STREAM);
    for (const [index, event] of events.entries()) {
      if (event.revision !== index || linkProblem(previous, event) !== undefined) break;
      previous = event.metadata['hash'] as string;
      if (sealed.get(event.revision)?.has(previous)) provenUpTo = event.revision;
    }
    return new Set(events.filter((event) => event.revision > provenUpTo && event.type === 'AccessTokenIssued').map((event) => String(event.data['tokenId'])));
  }

  private async record(actor: Actor, reason: string, findings: readonly LogFinding[], reapplied: readonly string[]): Promise<void> {
    let head = { revision: -1, hash: chainStart(LOG_SEALS_STREAM) };
    try {
      const [last] = await this.store.readStream(LOG_SEALS_STREAM, { direction: 'backwards', maxCount: 1 });
      if (last) head = { revision: last.revision, hash: String(last.metadata['hash']) };
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    const at = this.options.now().toISOString();
    const commandId = randomUUID();
    const acknowledgement: TamperFindingsAcknowledged = {
      type: 'TamperFindingsAcknowledged',
      data: { acknowledgedAt: at, findings: findings.map(({ id, kind, description }) => ({ id, kind, description })), reappliedRevocations: reapplied },
    };
    const { events } = chainedEvents([acknowledgement], { commandId, commandType: 'AcknowledgeTamperFindings', correlationId: commandId, causationId: commandId, actor, reason, occurredAt: at }, head.hash, () => 1);
    await this.store.append(LOG_SEALS_STREAM, events, { expectedRevision: head.revision < 0 ? 'no_stream' : head.revision });
  }

  /** Hands a seal to the operator's witness command on its standard input; a failure is logged, never fatal. */
  private witness(command: string, line: string): void {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.on('error', (error) => this.options.log?.('warn', `SEAL_WITNESS_COMMAND failed: ${error.message}`));
    child.on('exit', (code) => {
      if (code !== 0) this.options.log?.('warn', `SEAL_WITNESS_COMMAND exited with ${code}`);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${line}\n`);
  }
}
