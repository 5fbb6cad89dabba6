import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { SystemClock } from '@app/complaints';
import type { EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/projections';
import { ALL_PROJECTIONS, AsOfBuildCancelledError, buildAsOfGeneration, erasesPersonalData, type AsOfBuildProgress } from '@app/read-models';
import type { ReadStore } from '@app/read-store';
import { LOG_READER_PAGE_CACHE_KB, openEngines } from '../config/engines';
import type { NotificationConfig } from '../notifications/notification-config';
import type { FromWorker, ReadSideWorkerData, ToWorker } from './read-side.messages';

/**
 * A worker thread of the API that does the read side's heavy work off the thread that answers
 * requests: the projections (PROJECTIONS=in-process), the notifier, or one analyst job (an as-of generation). It
 * opens its own connections to the stores from the same configuration, on every engine.
 */
const port = parentPort!;
const { stores, task } = workerData as ReadSideWorkerData;
const post = (message: FromWorker) => port.postMessage(message);
const describe = (error: unknown) => String((error as Error)?.stack ?? error);
/** An error's name and message, read by their shape (not instanceof Error: better-sqlite3's errors are of another context's class where modules load again). */
const describeError = (error: unknown): string => {
  const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown };
  return typeof message === 'string' ? `${typeof name === 'string' ? `${name}: ` : ''}${message}` : String(error);
};

/** The stores of this thread. It only reads the log: no writer thread of its own for the event store. */
async function openStores(): Promise<{ events: EventStore; readStore: ReadStore }> {
  const { eventStore, readStore } = await openEngines(stores, { writerThread: false, pageCacheKb: LOG_READER_PAGE_CACHE_KB });
  return { events: eventStore, readStore };
}

async function closeStores(events: EventStore, readStore: ReadStore): Promise<void> {
  await events.close().catch(() => undefined);
  await readStore.close().catch(() => undefined);
}

/** The same runner, with the same options, as on the main thread; the main thread is told every position it commits. */
async function runProjections(names: readonly string[] | undefined): Promise<void> {
  const { events, readStore } = await openStores();
  let scheduled = false;
  let last = '';
  let runner: ProjectionRunner | undefined;
  const publish = () => {
    scheduled = false;
    if (!runner) return;
    const positions = runner.positions();
    const text = JSON.stringify(positions);
    if (text === last) return;
    last = text;
    post({ type: 'positions', positions });
  };
  const projections = names === undefined ? ALL_PROJECTIONS : ALL_PROJECTIONS.filter((projection) => names.includes(projection.name));
  runner = new ProjectionRunner(events, readStore, projections, {
    forgetDeletedAfter: erasesPersonalData,
    onError: (name, error) => post({ type: 'log', level: 'error', message: `projection ${name} stopped: ${describe(error)}` }),
    // A failing projection (or its recovery) changes the positions without a commit of its own: publish it now.
    onFailure: (name, failure) => {
      if (!failure) post({ type: 'log', level: 'info', message: `projection ${name} got past its failure and goes on` });
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(publish);
    },
    // The runner raises its positions right after this call returns: publish once it has, one message per commit round.
    onCommit: () => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(publish);
    },
  });
  let stopping: Promise<void> | undefined;
  port.on('message', (message: ToWorker) => {
    if (message.type !== 'stop') return;
    stopping ??= (async () => {
      clearInterval(flags);
      // The batch in progress commits first (ProjectionRunner.stop).
      await runner!.stop();
      const positions = runner!.positions();
      await closeStores(events, readStore);
      post({ type: 'stopped', positions });
      port.close();
    })();
  });
  await runner.start();
  // A caught-up flag changes without a commit: a light check picks it up.
  const flags = setInterval(publish, 50);
  post({ type: 'ready' });
  publish();
}

/** How often the notifier's thread compares its problems with the ones it last told the main thread. */
const PROBLEMS_CHECK_MS = 200;

/**
 * The notifier (docs/adr/0017): its planner follows the log and its sender sends and records on this
 * thread's own connections, so its reads of streams, its SMTP/text sends and its commits take no time of
 * the thread that answers requests. Its appends commit on this thread's connection: the embedded log takes
 * the write lock per transaction and links the chain from the stored head, as for several processes on one
 * DATA_DIR. A stop message ends it as `end()` does (the pass in progress records what it sent first).
 */
async function runNotifier(notifications: NotificationConfig): Promise<void> {
  // Loaded here, not at the top: a projections' thread (started again after each crash) does not load the notifier and its SMTP client.
  const { createNotifier } = await import('../notifications/notifications.providers');
  const { events, readStore } = await openStores();
  const notifier = createNotifier(events, readStore, new SystemClock(), notifications, (level, message) => post({ type: 'log', level, message }));
  let told = '[]';
  const tell = () => {
    const problems = notifier.problems();
    const text = JSON.stringify(problems);
    if (text === told) return;
    told = text;
    post({ type: 'problems', problems });
  };
  let checks: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  let beginning: Promise<boolean> | undefined;
  port.on('message', (message: ToWorker) => {
    if (message.type !== 'stop') return;
    stopping ??= (async () => {
      clearInterval(checks);
      // A stop during the start waits for it: ending the notifier while begin() goes on let its first pass start
      // on closed stores. A start that failed has closed the stores itself.
      if (await beginning) {
        await notifier.end().catch((error: unknown) => post({ type: 'log', level: 'error', message: `stopping: ${describe(error)}` }));
        await closeStores(events, readStore);
      }
      post({ type: 'stopped', positions: {} });
      port.close();
      // Everything is recorded and the stores are closed: the thread ends now. A send the stop let go of
      // (its relay not answering) still holds its socket open, up to the SMTP timeout (30 s), and kept the
      // thread alive until the stop's bound ended it.
      process.exit(0);
    })();
  });
  let failure: unknown;
  beginning = notifier.begin().then(() => true, async (error: unknown) => {
    failure = error;
    await closeStores(events, readStore);
    return false;
  });
  if (!(await beginning)) throw failure;
  if (stopping) return;
  checks = setInterval(tell, PROBLEMS_CHECK_MS);
  post({ type: 'ready' });
}

/** One analyst job: builds an as-of generation, reporting progress; a stop message cancels it. */
async function buildAsOf(spec: Extract<ReadSideWorkerData['task'], { kind: 'as-of' }>): Promise<void> {
  const { events, readStore } = await openStores();
  const abort = new AbortController();
  port.on('message', (message: ToWorker) => {
    if (message.type === 'stop') abort.abort();
  });
  let lastProgress = 0;
  let unsent: AsOfBuildProgress | undefined;
  post({ type: 'ready' });
  try {
    const entry = await buildAsOfGeneration(events, readStore, spec.until, spec.untilText, spec.name, {
      signal: abort.signal,
      builder: spec.builder,
      // The API's jobs: a name another process took after the job was asked for is refused, not built again over it.
      onlyIfNew: true,
      onProgress: (progress) => {
        unsent = progress;
        if (Date.now() - lastProgress < 100) return;
        lastProgress = Date.now();
        post({ type: 'progress', progress });
        unsent = undefined;
      },
    });
    // At most one message per 100 ms while it runs; the last one always, before the entry (the job showed its last full batch).
    if (unsent) post({ type: 'progress', progress: unsent });
    post({ type: 'built', entry });
  } catch (error) {
    post(error instanceof AsOfBuildCancelledError ? { type: 'cancelled' } : { type: 'failed', message: error instanceof Error ? error.message : String(error) });
  } finally {
    await closeStores(events, readStore);
    port.close();
  }
}

const run = task.kind === 'projections' ? runProjections(task.names) : task.kind === 'notifier' ? runNotifier(task.notifications) : buildAsOf(task);
run.catch((error: unknown) => {
  // Thrown out of the thread: the main thread sees the worker end with an error, logs it and restarts it. As an Error of this
  // thread with the text told here: a SqliteError (a class of its own) crossed the thread as an object with its code alone,
  // and /health said "did not start: [object Object]".
  const told = new Error(describeError(error));
  told.stack = describe(error);
  setImmediate(() => {
    throw told;
  });
});
