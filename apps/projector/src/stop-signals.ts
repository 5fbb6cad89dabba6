/**
 * Imported first by main.ts, before the modules that take a second or more to load on a busy machine: a
 * SIGINT or SIGTERM that arrives before the projector's own stop is set ends the process with exit code 0,
 * nothing having started yet (no lease taken, nothing written). Without a handler the signal ended the
 * process (exit code 143 or 130, or null as Node reports it), which a supervisor reads as a failure.
 * One listener per signal for the whole run: removing the last listener stops Node's watch of the signal,
 * and a signal that had arrived but not yet been handled was lost with it (the projector then started).
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

let onSignal: () => void = () => process.exit(0);
for (const signal of SIGNALS) process.on(signal, () => onSignal());

/** Hands SIGINT and SIGTERM to the projector's stop from now on. */
export function onStopSignal(stop: () => void): void {
  onSignal = stop;
}
