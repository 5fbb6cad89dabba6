/**
 * Imported first by main.ts, before the modules that take seconds to load on a busy machine: a SIGINT or SIGTERM that
 * arrives before main() has set its own stop ends the process with exit code 0, nothing having been opened yet. Without
 * a handler the signal ended the process (exit code 143 or 130 for a supervisor, which reads it as a failure), also
 * while main() opened the stores and started the app, and no line said so. One listener per signal for the whole run:
 * removing the last one stops Node's watch of the signal, and a signal that had arrived but was not yet handled was lost.
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
  process.stdout.write(`Complaint Desk is stopping (${signal}) while it loads: nothing was opened yet\n`);
  process.exit(0);
};
for (const signal of SIGNALS) process.on(signal, () => onSignal(signal));

/** Hands SIGINT and SIGTERM to main()'s stop from now on. */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): void {
  onSignal = stop;
}
