import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { EventStore } from '@app/event-store';
import {
  AsOfBuildCancelledError, sameAsOfStorage, samePositionCut, AsOfCatalogue, asOfBuilderIsAlive, buildAsOfGeneration, dropAsOf, shownAsOfBuilder, type AsOfBuilder, type AsOfBuildProgress, type AsOfEntry, type AsOfUntil,
} from '@app/read-models';
import { processSpace } from '@app/projections';
import type { ReadStore } from '@app/read-store';
import type { FromWorker, ReadSideWorkerData, ToWorker } from '../workers/read-side.messages';
import { READ_SIDE_WORKER, startWorkerThread, type StoreSettings } from '../workers/worker-thread';

export type AsOfJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

interface Job {
  readonly name: string;
  readonly until: AsOfUntil;
  readonly untilText: string;
  readonly requestedBy: string;
  readonly createdAt: Date;
  status: AsOfJobStatus;
  startedAt?: Date;
  finishedAt?: Date;
  headPosition?: number;
  progress: AsOfBuildProgress;
  error?: string;
  entry?: AsOfEntry;
  cancel?: () => void;
  finished?: Promise<void>;
}

/** A name that is taken: by a generation (built or being built), or a job waiting for its turn. */
export class AsOfNameTakenError extends Error {
  readonly code = 'as-of-exists';
}

export class AsOfQueueFullError extends Error {
  readonly code = 'as-of-queue-full';
}

export class AsOfNotFoundError extends Error {
  readonly code = 'as-of-not-found';
  constructor(readonly asOf: string) {
    super(`No as-of generation or job named "${asOf}" (GET /analytics/as-of lists them).`);
  }
}

/** Being built by another process on the same read store: only that process can cancel it. */
export class AsOfBuiltElsewhereError extends Error {
  readonly code = 'as-of-built-elsewhere';
}

/** Who may read the catalogue of as-of generations (GET /analytics/as-of): these roles, with a token that spans every department. */
export const AS_OF_READERS = ['supervisor', 'analyst', 'auditor', 'admin'] as const;

/** Whether a caller may see the names of the as-of generations built (the catalogue's readers), as a refusal would list them. */
export function mayReadAsOfCatalogue(principal: { readonly actor: { readonly role: string }; readonly scope: 'all' | readonly string[] } | undefined): boolean {
  return principal !== undefined && principal.scope === 'all' && (AS_OF_READERS as readonly string[]).includes(principal.actor.role);
}

const MAX_QUEUED = 10;
const KEPT_FINISHED = 50;

/** Whether the catalogue's entry is the build of this job (not one made under its name by another process since). */
const builtBy = (job: Job, entry: AsOfEntry): boolean => job.status !== 'done' || job.entry?.startedAt === entry.startedAt;

/**
 * Analyst jobs that build as-of generations (the CLI's `replay --until … --into`, same code), off the
 * thread that answers requests: each on a worker thread of its own, one at a time per process, the
 * others queued. Jobs live in this process's memory only: a restart forgets them, and the
 * half-built generation of a job that did not finish is dropped (by the sweep at start, or by any
 * instance once its heartbeat has stopped). Finished generations are in the catalogue in the read store.
 */
export class AsOfJobs {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: Job[] = [];
  private running: Job | undefined;
  private closed = false;
  readonly builder: AsOfBuilder = { host: hostname(), pid: process.pid, instance: randomUUID(), space: processSpace() };

  constructor(
    private readonly events: EventStore,
    private readonly readStore: ReadStore,
    private readonly stores: StoreSettings,
    private readonly onThread: 'worker' | 'inline',
    private readonly log: (level: 'error' | 'warn' | 'info', message: string) => void,
    /** AS_OF_SWEEP_INTERVAL_MS: how often startSweeping() sweeps. */
    private readonly sweepIntervalMs = 10_000,
  ) {}

  /**
   * Drops what builds of processes that are gone left half-built. One sweep at a time: a call while one runs waits for it and
   * then sweeps again (what it asks about may have been written after that one listed the catalogue).
   */
  sweep(): Promise<string[]> {
    const next = this.sweeping.then(() => this.sweepOnce());
    this.sweeping = next.catch(() => undefined);
    return next;
  }

  private sweeping: Promise<unknown> = Promise.resolve();
  private sweepTimer: NodeJS.Timeout | undefined;

  private async sweepOnce(): Promise<string[]> {
    const swept = await (await AsOfCatalogue.open(this.readStore)).sweep(this.builder);
    if (swept.length > 0) this.log('warn', `as-of: dropped the half-built generation(s) ${swept.join(', ')} of a process that is gone; start them again`);
    return swept;
  }

  /**
   * Sweeps every `intervalMs` (AS_OF_SWEEP_INTERVAL_MS), so that what a killed builder (another instance, a `cli replay --into`) left
   * is dropped by every running instance, not only by one asked for the list. A tick while a sweep still runs is skipped; the timer
   * keeps no process alive, and close() stops it.
   */
  startSweeping(intervalMs = this.sweepIntervalMs): void {
    if (this.sweepTimer !== undefined || this.closed) return;
    let busy = false;
    this.sweepTimer = setInterval(() => {
      if (busy) return;
      busy = true;
      this.sweep().catch((error: unknown) => this.log('error', `as-of sweep: ${String((error as { message?: unknown })?.message ?? error)}`)).finally(() => (busy = false));
    }, intervalMs);
    this.sweepTimer.unref();
  }

  /** This process's job of a name sharing that name's collections, while it waits or runs (ReadModelReader.followJobs). */
  pending(name: string): 'queued' | 'running' | undefined {
    const job = this.activeJob(name);
    return job === undefined ? undefined : job.status === 'queued' ? 'queued' : 'running';
  }

  /** This process's job, waiting or running, of a name that shares that name's collections. */
  private activeJob(name: string): Job | undefined {
    return [...this.jobs.values()].find((job) => (job.status === 'queued' || job.status === 'running') && sameAsOfStorage(job.name, name));
  }

  /** The log's last position: a position past it cannot be built as of. */
  headPosition(): Promise<number> {
    return this.events.headPosition();
  }

  async submit(untilText: string, until: AsOfUntil, name: string, requestedBy: string): Promise<Job> {
    // A job waiting or running has no catalogue entry yet (or only a building one): its name is taken all the same.
    const waiting = this.activeJob(name);
    if (waiting) {
      throw new AsOfNameTakenError(waiting.name === name
        ? `A job building "${name}" is already ${waiting.status}; its progress: GET /analytics/as-of/${name}.`
        : `The name "${name}" would share its collections with "${waiting.name}", which is ${waiting.status} (names differing only in letter case, - or _ are the same); choose another name.`);
    }
    await this.sweep();
    const clash = await (await AsOfCatalogue.open(this.readStore)).clashing(name);
    if (clash) {
      throw new AsOfNameTakenError(clash.name === name && clash.status === 'building'
        // Not "DELETE first": a DELETE here of another process's build is refused (as-of-built-elsewhere).
        ? `"${name}" is being built by another process (${shownAsOfBuilder(clash.builder)}); wait for it to finish (GET /analytics/as-of/${name} shows it) and use it, or choose another name; to stop it, DELETE /analytics/as-of/${name} on the instance that builds it (or stop its cli replay).`
        : clash.name === name
        ? `An as-of generation named "${name}" exists (built as of ${clash.until}); DELETE /analytics/as-of/${name} first, or choose another name.`
        : samePositionCut(clash.name, name)
        ? `The cut of "${name}" is built already as "${clash.name}" (an older release's name for the same log position, ${clash.status}); read it with asOf=${name} or asOf=${clash.name}, or DELETE /analytics/as-of/${clash.name} first to build it again.`
        : `The name "${name}" would share its collections with the existing "${clash.name}" (names differing only in letter case, - or _ are the same); choose another name.`);
    }
    if (this.queue.length >= MAX_QUEUED) throw new AsOfQueueFullError(`${MAX_QUEUED} jobs are already waiting; try again when one has finished.`);
    const job: Job = { name, until, untilText, requestedBy, createdAt: new Date(), status: 'queued', progress: { events: 0, applied: 0, position: 0 } };
    this.jobs.set(name, job);
    this.queue.push(job);
    this.forgetOld();
    this.pump();
    return job;
  }

  private pump(): void {
    if (this.running || this.closed) return;
    const job = this.queue.shift();
    if (!job) return;
    this.running = job;
    job.status = 'running';
    job.startedAt = new Date();
    job.finished = this.run(job)
      .then((entry) => {
        job.status = 'done';
        job.entry = entry;
      })
      .catch((error: unknown) => {
        if (error instanceof AsOfBuildCancelledError) job.status = 'cancelled';
        else {
          job.status = 'failed';
          job.error = error instanceof Error ? error.message : String(error);
          this.log('error', `as-of job ${job.name} failed: ${job.error}`);
        }
      })
      .finally(() => {
        job.finishedAt = new Date();
        job.cancel = undefined;
        this.running = undefined;
        this.pump();
      });
  }

  private async run(job: Job): Promise<AsOfEntry> {
    // Where the build stops reading: the head, or a position cut before it (docs/adr/0011, twenty-third step).
    job.headPosition = Math.min(await this.events.headPosition(), job.until.position ?? Number.POSITIVE_INFINITY);
    const onProgress = (progress: AsOfBuildProgress) => {
      job.progress = progress;
    };
    if (this.onThread === 'inline') {
      const abort = new AbortController();
      job.cancel = () => abort.abort();
      return buildAsOfGeneration(this.events, this.readStore, job.until, job.untilText, job.name, { signal: abort.signal, builder: this.builder, onProgress, onlyIfNew: true });
    }
    const data: ReadSideWorkerData = { stores: this.stores, task: { kind: 'as-of', until: job.until, untilText: job.untilText, name: job.name, builder: this.builder } };
    const worker: Worker = startWorkerThread(READ_SIDE_WORKER, data);
    job.cancel = () => worker.postMessage({ type: 'stop' } satisfies ToWorker);
    return new Promise<AsOfEntry>((resolve, reject) => {
      let outcome: { entry: AsOfEntry } | { error: Error } | undefined;
      let thrown: unknown;
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'progress') onProgress(message.progress);
        else if (message.type === 'built') outcome = { entry: message.entry };
        else if (message.type === 'failed') outcome = { error: new Error(message.message) };
        else if (message.type === 'cancelled') outcome = { error: new AsOfBuildCancelledError(job.name) };
      });
      worker.on('error', (error) => {
        thrown = error;
      });
      worker.on('exit', (code) => {
        if (outcome && 'entry' in outcome) resolve(outcome.entry);
        else if (outcome) reject(outcome.error);
        else {
          // The thread died without a word: its generation is half-built; drop it.
          void dropAsOf(this.readStore, job.name).catch(() => undefined);
          reject(new Error(`the worker thread ended (code ${code})${thrown ? `: ${String((thrown as Error)?.message ?? thrown)}` : ''}`));
        }
      });
    });
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((job) => job.status !== 'queued' && job.status !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED))) this.jobs.delete(job.name);
  }

  /** The job of this process by that name, or the generation in the catalogue. */
  async describe(name: string): Promise<AsOfJobView> {
    const job = this.jobs.get(name);
    if (job && job.status !== 'done') return viewOf(job);
    const catalogue = await AsOfCatalogue.open(this.readStore);
    let entry = await catalogue.get(name);
    // Another process's build: judged before it is shown as running (a killed builder's entry said "running" until some list swept it).
    // Only this entry is judged (a full sweep per poll queued behind each other); a failing drop answers the entry as it stands.
    if (entry?.status === 'building' && (await catalogue.sweepEntry(entry, this.builder).catch(() => false))) entry = await catalogue.get(name);
    if (job && entry && builtBy(job, entry)) return viewOf(job);
    // A finished job whose generation another process deleted (DELETE on another instance, the CLI), or deleted and built
    // again: gone here too, as asOf reads answer; its job said "done" still.
    if (job) this.jobs.delete(name);
    if (!entry) throw new AsOfNotFoundError(name);
    return viewOfEntry(entry);
  }

  async list(): Promise<{ generations: ReturnType<typeof generationOfEntry>[]; jobs: AsOfJobView[] }> {
    await this.sweep();
    const entries = await (await AsOfCatalogue.open(this.readStore)).list();
    // A done job is shown while the catalogue holds its build (as describe does): not once its name was deleted, or built again, elsewhere.
    const byName = new Map(entries.map((entry) => [entry.name, entry]));
    for (const job of [...this.jobs.values()]) {
      const entry = byName.get(job.name);
      if (job.status === 'done' && (entry === undefined || !builtBy(job, entry))) this.jobs.delete(job.name);
    }
    const jobs = [...this.jobs.values()].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).map(viewOf);
    return { generations: entries.map(generationOfEntry), jobs };
  }

  /** Cancels a job of that name (queued or running) and drops its generation, built or not; idempotent while the job is known. */
  async delete(name: string): Promise<void> {
    const job = this.jobs.get(name);
    let found = false;
    if (job?.status === 'queued') {
      this.queue.splice(this.queue.indexOf(job), 1);
      job.status = 'cancelled';
      job.finishedAt = new Date();
      found = true;
    } else if (job?.status === 'running') {
      job.cancel?.();
      await job.finished;
      found = true;
    } else if (job) {
      // Cancelled or failed: nothing is left to cancel, and the job stays to be looked at. A second DELETE
      // (a retry, a double click) finds done what it asks for, so it is a 204 as GET shows the job (ADR 0005).
      found = true;
    }
    const catalogue = await AsOfCatalogue.open(this.readStore);
    const entry = await catalogue.get(name);
    if (entry?.status === 'building' && entry.builder?.instance !== this.builder.instance && asOfBuilderIsAlive(entry.builder ?? this.builder, this.builder)) {
      throw new AsOfBuiltElsewhereError(`"${name}" is being built by another process (${shownAsOfBuilder(entry.builder)}); delete it there, or once it has finished.`);
    }
    if (entry) {
      await dropAsOf(this.readStore, name);
      found = true;
    }
    // A finished job is gone with its generation; a cancelled or failed one stays to be looked at.
    if (job?.status === 'done') this.jobs.delete(name);
    if (!found) throw new AsOfNotFoundError(name);
  }

  /** On shutdown: cancels the running job (its half-built generation is dropped) and forgets the queue. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.sweeping;
    for (const job of this.queue.splice(0)) job.status = 'cancelled';
    const running = this.running;
    if (running) {
      running.cancel?.();
      await running.finished;
    }
  }
}

export interface AsOfJobView {
  readonly name: string;
  readonly until: string;
  readonly status: AsOfJobStatus;
  readonly [field: string]: unknown;
}

function viewOf(job: Job): AsOfJobView {
  const now = job.finishedAt ?? new Date();
  const seconds = job.startedAt ? Math.max(0.001, (now.getTime() - job.startedAt.getTime()) / 1000) : 0;
  // How far: the position reached against where the build stops (the log's head when the job started, or an earlier position cut), positions being opaque (no count of events).
  const fraction = job.status === 'done' ? 1 : job.headPosition ? Math.min(1, job.progress.position / job.headPosition) : 0;
  const eventsPerSecond = job.startedAt ? Math.round(job.progress.events / seconds) : 0;
  const etaSeconds = job.status === 'running' && fraction > 0 && fraction < 1 ? Math.ceil((seconds * (1 - fraction)) / fraction) : job.status === 'done' ? 0 : null;
  return {
    name: job.name,
    until: job.untilText,
    status: job.status,
    requestedBy: job.requestedBy,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    progress: { events: job.progress.events, applied: job.progress.applied, position: job.progress.position, ofPosition: job.headPosition ?? null, fraction: Math.round(fraction * 1000) / 1000 },
    eventsPerSecond,
    etaSeconds,
    error: job.error ?? null,
    generation: job.entry ? generationOfEntry(job.entry) : null,
  };
}

function viewOfEntry(entry: AsOfEntry): AsOfJobView {
  return {
    name: entry.name, until: entry.until, status: entry.status === 'done' ? 'done' : 'running',
    startedAt: entry.startedAt, finishedAt: entry.builtAt ?? null, generation: entry.status === 'done' ? generationOfEntry(entry) : null,
    ...(entry.status === 'building' ? { note: 'being built by another process; its progress is shown there' } : {}),
  };
}

function generationOfEntry(entry: AsOfEntry) {
  return {
    name: entry.name, until: entry.until, status: entry.status, builtAt: entry.builtAt ?? null, position: entry.position ?? null,
    // The moment a position cut's history reaches, as its partial marks read it (partialPeriodsClock); a hand-edited entry's non-text is not echoed.
    eventsUntil: typeof entry.lastOccurredAt === 'string' ? entry.lastOccurredAt : null,
    events: entry.events ?? null, applied: entry.applied ?? null, documents: entry.documents ?? null,
  };
}
