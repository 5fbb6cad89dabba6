import { randomBytes, randomUUID } from 'node:crypto';
import type { EventStore } from '@app/event-store';
import { LogSealer } from '../audit/log-sealer';
import { InMemorySealLog, signSeal } from '../audit/log-seals';
import { LogFold, verifyLog } from '../audit/log-verification';

/**
 * What the seals promise on every event store (docs/adr/0010), in the store's own positions
 * (KurrentDB's are commit positions in $all, not counts): a sealed log verifies; a log shorter
 * than a seal, or different from it at the sealed position, is reported. A shared server works:
 * other writers' events only extend the log after the seal.
 */
export function describeTamperEvidenceContract(adapterName: string, createStore: () => Promise<{ store: EventStore; dispose(): Promise<void> }>): void {
  describe(`tamper evidence contract: ${adapterName}`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    const key = randomBytes(32);
    const logId = `contract:${randomUUID()}`;
    beforeEach(async () => {
      ({ store, dispose } = await createStore());
    });
    afterEach(async () => dispose());

    const append = async () => {
      const stream = `contract-${randomUUID()}`;
      await store.append(stream, [{ eventId: randomUUID(), type: 'Sealed', data: { n: 1 }, metadata: {} }, { eventId: randomUUID(), type: 'Sealed', data: { n: 2 }, metadata: {} }]);
      return stream;
    };
    const sealer = (seals: InMemorySealLog) => new LogSealer(store, seals, key, { logId, by: 'contract', now: () => new Date() });

    it('seals the head in the store\'s own positions, and a sealed log verifies', async () => {
      const seals = new InMemorySealLog(key);
      await append();
      const seal = await sealer(seals).seal();
      const [last] = await store.readAll({ direction: 'backwards', maxCount: 1 });
      expect(seal).toMatchObject({ position: last!.position, headEventId: last!.eventId });
      await append();
      await sealer(seals).seal();
      const { report } = await verifyLog(store, { seals: { log: seals, logId } });
      // Stream chains are the executor's business (these bare events carry none); the log and its seals agree.
      expect(report.findings.filter((finding) => finding.kind !== 'stream-chain')).toEqual([]);
      expect(report.seals.count).toBe(2);
    });

    it('reports a log that ends before its seal', async () => {
      const seals = new InMemorySealLog(key);
      await append();
      const { fold } = await verifyLog(store);
      const beyond = Object.assign(new LogFold(), fold, { position: fold.position + 1_000_000, events: fold.events + 2 });
      await seals.append(signSeal(key, beyond.body(logId, 'contract', new Date().toISOString())));
      const { report } = await verifyLog(store, { seals: { log: seals, logId } });
      expect(report.findings.map((finding) => finding.kind)).toContain('log-truncated');
    });

    it('reports a log that differs from its seal at the sealed position', async () => {
      const seals = new InMemorySealLog(key);
      await append();
      const { fold } = await verifyLog(store);
      const other = Object.assign(new LogFold(), fold, { logHash: 'e'.repeat(64) });
      await seals.append(signSeal(key, other.body(logId, 'contract', new Date().toISOString())));
      const { report } = await verifyLog(store, { seals: { log: seals, logId } });
      expect(report.findings.map((finding) => finding.kind)).toContain('seal-mismatch');
    });
  });
}
