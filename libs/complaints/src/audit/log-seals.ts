import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { canonicalJson } from '@app/event-sourcing';

/**
 * A seal: the head of the log (position, number of events, whole-log link) and of the
 * access-control stream, as one process saw them, signed with an HMAC whose key is kept outside
 * the data directory (docs/adr/0010). Whoever can write the data can rewrite every hash, but not
 * make a seal; so a log shorter than, or different from, a seal is caught.
 */
export interface SealBody {
  readonly version: 1;
  /** Which log the seal is of (the event store's identity), so seals of another log are never compared. */
  readonly log: string;
  readonly sealedAt: string;
  /** Who sealed: `api`, `cli:<login>`. */
  readonly by: string;
  /** Position of the last event sealed; 0 for an empty log. */
  readonly position: number;
  /** How many events the log held up to that position. */
  readonly events: number;
  /** The whole-log link after that event (LOG_CHAIN_START for an empty log). */
  readonly logHash: string;
  readonly headEventId: string | null;
  /** The access-control stream's head, and the tokens revoked by then: what an acknowledgement re-applies. */
  readonly accessControl: { readonly revision: number; readonly hash: string | null; readonly revokedTokenIds: readonly string[] };
  /**
   * Set on the seal an operator's acknowledgement makes: the findings it acknowledges, in words.
   * Every finding about an earlier seal, or about an event at or before this seal's position, is
   * acknowledged by it; the acknowledgement event in the log says who and why.
   */
  readonly acknowledges?: readonly string[];
  /** With `acknowledges`: the operator's reason, as recorded in the acknowledgement event. */
  readonly reason?: string;
}

export interface Seal extends SealBody {
  /** HMAC-SHA256 of the canonical JSON of the body, hex. */
  readonly mac: string;
}

const macOf = (key: Buffer, body: SealBody): string => createHmac('sha256', key).update(canonicalJson(body), 'utf8').digest('hex');

export function signSeal(key: Buffer, body: SealBody): Seal {
  return { ...body, mac: macOf(key, body) };
}

export function sealIsAuthentic(key: Buffer, seal: Seal): boolean {
  const { mac, ...body } = seal;
  const expected = Buffer.from(macOf(key, body), 'hex');
  const given = typeof mac === 'string' && /^[0-9a-f]{64}$/.test(mac) ? Buffer.from(mac, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A line of the seal log as read: its place in the log (order of writing) and the seal, or why it is not one. */
export type SealEntry =
  | { readonly line: number; readonly seal: Seal; readonly authentic: boolean }
  | { readonly line: number; readonly seal: undefined; readonly damaged: string };

/**
 * Where seals are kept: appended, never rewritten. The order of writing matters (an
 * acknowledgement covers the seals written before it), so entries come back in that order.
 */
export abstract class SealLog {
  /** Appends one seal; durable when the promise resolves. */
  abstract append(seal: Seal): Promise<void>;
  /** Every entry in the order written. */
  abstract read(): Promise<SealEntry[]>;
  /** Entries written after `line` (exclusive): what another process sealed since. */
  abstract readAfter(line: number): Promise<SealEntry[]>;
}

/** An append-only file of JSON lines, fsynced after each seal. */
export class FileSealLog extends SealLog {
  constructor(private readonly path: string, private readonly key: Buffer) {
    super();
  }

  override async append(seal: Seal): Promise<void> {
    const fd = openSync(this.path, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(seal)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  override async read(): Promise<SealEntry[]> {
    return this.readAfter(0);
  }

  override async readAfter(after: number): Promise<SealEntry[]> {
    if (!existsSync(this.path)) return [];
    const lines = readFileSync(this.path, 'utf8').split('\n');
    const entries: SealEntry[] = [];
    lines.forEach((text, index) => {
      const line = index + 1;
      if (line <= after || text.trim() === '') return;
      let seal: Seal;
      try {
        seal = JSON.parse(text) as Seal;
      } catch {
        entries.push({ line, seal: undefined, damaged: 'not JSON' });
        return;
      }
      if (typeof seal !== 'object' || seal === null || typeof seal.position !== 'number' || typeof seal.logHash !== 'string') {
        entries.push({ line, seal: undefined, damaged: 'not a seal' });
        return;
      }
      entries.push({ line, seal, authentic: sealIsAuthentic(this.key, seal) });
    });
    return entries;
  }
}

/** Seals kept in memory: for tests, and for a store whose seals are written elsewhere. */
export class InMemorySealLog extends SealLog {
  private readonly seals: Seal[] = [];

  constructor(private readonly key: Buffer) {
    super();
  }

  override async append(seal: Seal): Promise<void> {
    this.seals.push(seal);
  }

  override async read(): Promise<SealEntry[]> {
    return this.readAfter(0);
  }

  override async readAfter(after: number): Promise<SealEntry[]> {
    return this.seals.map((seal, index) => ({ line: index + 1, seal, authentic: sealIsAuthentic(this.key, seal) })).filter((entry) => entry.line > after);
  }
}
