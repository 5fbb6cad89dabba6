import type { EventStore, EventToAppend, ExpectedRevision, StreamAppend } from '@app/event-store';

/**
 * Runs `before` once, just before the store's first append that names a stream starting with
 * `streamPrefix` (a single-stream append or one to several streams: a dispatch and a deactivation
 * append to their engineer's duty stream too), then lets that append go on. Returns the release.
 */
export function beforeFirstAppend(store: EventStore, streamPrefix: string, before: () => Promise<void>): () => void {
  // The class's own methods (the app's store is wrapped for metrics; the wrapper calls the store's own property).
  const own = Object.getPrototypeOf(store) as EventStore;
  let held = false;
  const holds = (streams: readonly string[]): boolean => !held && streams.some((stream) => stream.startsWith(streamPrefix)) && (held = true);
  store.append = async (stream: string, events: readonly EventToAppend[], options?: { expectedRevision?: ExpectedRevision }) => {
    if (holds([stream])) await before();
    return own.append.call(store, stream, events, options);
  };
  store.appendToStreams = async (appends: readonly StreamAppend[]) => {
    if (holds(appends.map(({ stream }) => stream))) await before();
    return own.appendToStreams.call(store, appends);
  };
  return () => {
    delete (store as Partial<EventStore>).append;
    delete (store as Partial<EventStore>).appendToStreams;
  };
}

/** This process stops dead for `ms`, timers and all, as under SIGSTOP or a VM pause: its turns' leases are not renewed meanwhile. */
export function frozenFor(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `between` once, just before the first append to a stream that `streamPrefix` names, and
 * waits until it has answered (or, when it must wait for the append held here, a second); `other`
 * is its answer. Call `release` when done.
 */
export function holdAppend<R>(store: EventStore, streamPrefix: string, between: () => Promise<R>): { readonly other: Promise<R | undefined>; release(): void } {
  let settled: (response: R | undefined) => void = () => undefined;
  const answered = new Promise<R | undefined>((resolve) => {
    settled = resolve;
  });
  const release = beforeFirstAppend(store, streamPrefix, async () => {
    const other = between();
    void other.then(settled);
    await Promise.race([other, new Promise((resolve) => setTimeout(resolve, 1_000))]);
  });
  return { other: answered, release };
}
