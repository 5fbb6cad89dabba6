/**
 * Imported first by main.ts, before the modules that take seconds to load on a busy machine: a SIGINT or SIGTERM that
 * arrives before main() has set its own stop ends the process with exit code 0, nothing having been opened yet. Without
 * a handler the signal ended the process (exit code 143 or 130 for a supervisor, which reads it as a failure), also
 * while main() opened the stores and started the app, and no line said so. One listener per signal for the whole run:
 * removing the last one stops Node's watch of the signal, and a signal that had arrived but was not yet handled was lost.
 */
import { constants as osConstants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
  process.stdout.write(`Complaint Desk is stopping (${signal}) while it loads: nothing was opened yet\n`);
  process.exit(0);
};
/**
 * A second signal ends the process at once (exit 128 + the signal's number, as the signal's default would): a start held up
 * by a server that does not answer, or a stop that hangs, is ended by a second Ctrl-C without kill -9. Kept listeners would
 * otherwise ignore every signal after the first.
 */
let received = 0;
for (const signal of SIGNALS) {
  process.on(signal, () => {
    received += 1;
    if (received === 1) return onSignal(signal);
    process.stdout.write(`Complaint Desk stops now (${signal} again): what was under way is not finished\n`);
    process.exit(128 + (osConstants.signals[signal] ?? 15));
  });
}

/** Hands SIGINT and SIGTERM to main()'s stop from now on. */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): void {
  onSignal = stop;
}
