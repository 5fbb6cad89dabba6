/**
 * One of several processes that open the same new idempotency files at the same instant, as API
 * instances starting together on one DATA_DIR do: for each round it spins until the round's start
 * time, then opens `round-N.sqlite` in the given directory. Prints `opened N` or the first error.
 * Arguments: directory, rounds, start time (ms since the epoch), milliseconds between rounds.
 */
import { join } from 'node:path';
import { SqliteIdempotencyStore } from '@app/read-store';

const [directory, rounds, startAt, spacing] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
let opened = 0;
try {
  for (let round = 0; round < rounds; round += 1) {
    while (Date.now() < startAt + round * spacing) { /* spin: a timer would start the processes milliseconds apart */ }
    const store = new SqliteIdempotencyStore({ filename: join(directory, `round-${round}.sqlite`), ttlMs: 60_000 });
    void store.close();
    opened += 1;
  }
  process.stdout.write(`opened ${opened}\n`);
} catch (error) {
  process.stdout.write(`failed after ${opened}: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
