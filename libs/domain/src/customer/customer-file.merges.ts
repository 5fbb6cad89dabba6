import type { CustomerFileState } from './customer-file.state';

/** The most files one survivor is followed into (its merged files, theirs …): far more than any desk merges. */
export const MAX_MERGED_FILES = 256;

/**
 * The files merged into a survivor, and those merged into them, and so on, each once, nearest first
 * (docs/adr/0013): a file merged into one that was merged later is the same customer too. Each file
 * records only its direct merges, so the chain is followed through `absorbedOf` (a file's stream, or
 * its read model); a merge recorded before this was followed is reached all the same.
 */
export async function followMerges(absorbed: readonly string[], absorbedOf: (customerId: string) => Promise<readonly string[]>): Promise<string[]> {
  const found: string[] = [];
  const waiting = [...absorbed];
  while (waiting.length > 0 && found.length < MAX_MERGED_FILES) {
    const id = waiting.shift()!;
    if (found.includes(id)) continue;
    found.push(id);
    waiting.push(...(await absorbedOf(id)));
  }
  return found;
}

/** The files merged directly into this one: a file merged away later still stands for them. */
export function absorbedBy(state: CustomerFileState): readonly string[] {
  return state.status === 'active' || state.status === 'merged' ? state.absorbed : [];
}

/**
 * The file a merged file's records go to now, the other way from followMerges: the file itself, or
 * the last survivor of the merges it went through, each pointer followed in turn (`stateOf` reads a
 * file's stream). A chain longer than MAX_MERGED_FILES, or one that comes back on itself, means a
 * damaged log: it is followed no further.
 */
export async function followSurvivors(
  customerId: string, stateOf: (customerId: string) => Promise<CustomerFileState>,
): Promise<{ readonly customerId: string; readonly state: CustomerFileState }> {
  const seen = new Set([customerId]);
  let current = customerId;
  let state = await stateOf(current);
  while (state.status === 'merged' && !seen.has(state.survivorId) && seen.size < MAX_MERGED_FILES) {
    current = state.survivorId;
    seen.add(current);
    state = await stateOf(current);
  }
  return { customerId: current, state };
}

/**
 * followSurvivors for a reader that knows each merged file's survivor at hand (a projection, which
 * reads synchronously): the customer's file, or the last survivor of its merges, with the same
 * limits. `survivorOf` answers null for a file that was not merged away.
 */
export function lastSurvivorOf(customerId: string, survivorOf: (customerId: string) => string | null): string {
  const seen = new Set([customerId]);
  let current = customerId;
  for (let next = survivorOf(current); next !== null && !seen.has(next) && seen.size < MAX_MERGED_FILES; next = survivorOf(current)) {
    current = next;
    seen.add(current);
  }
  return current;
}
