/**
 * Appends a generated repair history to DIR/events.sqlite: the service network, then ORDERS work
 * orders with their products reported over the year before now (GENERATED, not real data: the CFPB
 * extract has no repairs). What happens after now is left out, so the most recent orders are still
 * open on the dispatch board. `npm run demo` runs it after the CFPB import:
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register bench/repair-history.ts DIR [ORDERS]
 * Prints one JSON line: the orders and the events appended.
 */
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { generateRepairs, generateServiceNetwork } from './lifecycle-generator';

const YEAR_MS = 365 * 86_400_000;

async function main(dir: string, orders: number): Promise<void> {
  const now = Date.now();
  const start = now - YEAR_MS;
  const store = new SqliteEventStore({ filename: join(dir, 'events.sqlite'), synchronous: 'NORMAL' });
  let appended = 0;
  try {
    const { events: network, network: directory } = generateServiceNetwork(start);
    for (const { stream, event } of network) {
      await store.append(stream, [event], { expectedRevision: 'any' });
      appended += 1;
    }
    const chunk = 500;
    for (let first = 0; first < orders; first += chunk) {
      const generated = generateRepairs(first, Math.min(chunk, orders - first), orders, directory, { start, spanMs: YEAR_MS, until: now }).sort((a, b) => a.at - b.at);
      const pending: Array<Promise<unknown>> = [];
      for (const { stream, event } of generated) {
        pending.push(store.append(stream, [event], { expectedRevision: 'any' }));
        appended += 1;
        if (pending.length >= 256) await Promise.all(pending.splice(0));
      }
      await Promise.all(pending);
      process.stderr.write(`\r    generated ${Math.min(first + chunk, orders).toLocaleString('en-US')} of ${orders.toLocaleString('en-US')} work orders`);
    }
    process.stderr.write('\n');
  } finally {
    await store.close();
  }
  process.stdout.write(`${JSON.stringify({ workOrders: orders, events: appended, generated: true })}\n`);
}

const [dir, orders = '6000'] = process.argv.slice(2);
if (!dir || !/^\d{1,7}$/.test(orders)) {
  process.stderr.write('usage: repair-history.ts DIR [ORDERS]\n');
  process.exit(2);
}
main(dir, Number(orders)).catch((error: unknown) => {
  process.stderr.write(`repair-history: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
