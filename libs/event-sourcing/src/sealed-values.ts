/**
 * Personal values encrypted in stored events are envelopes `{"$enc": …}` (docs/adr/0019). Readers
 * normally get them decrypted (the key store's event store); a reader without the keys (a tool on
 * the raw log) must not take an envelope for data: it reads such a value as unknown (null), as
 * after an erasure. Returns the data itself when it holds no envelope.
 */
export function withoutSealedValues(data: Record<string, unknown>): Record<string, unknown> {
  return holdsSealed(data) ? (strip(data) as Record<string, unknown>) : data;
}

const isSealed = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value) && typeof (value as Record<string, unknown>)['$enc'] === 'string';

function holdsSealed(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (isSealed(value)) return true;
  return Object.values(value as Record<string, unknown>).some(holdsSealed);
}

function strip(value: unknown): unknown {
  if (isSealed(value)) return null;
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, strip(item)]));
  return value;
}

/** The key ids (`kid`) of the envelopes in stored data: the keys a reader needs to read it, each once. */
export function sealedKeyIds(data: unknown, into: Set<string> = new Set()): Set<string> {
  if (data === null || typeof data !== 'object') return into;
  const kid = (data as Record<string, unknown>)['kid'];
  if (isSealed(data) && typeof kid === 'string') into.add(kid);
  else for (const value of Object.values(data as Record<string, unknown>)) sealedKeyIds(value, into);
  return into;
}
