import { storedVersion, type ReadDocument, type ReadStore } from '@app/read-store';
import { CLOSED, type BreakerState } from './webhook-retry';
import { secretFingerprint } from './webhook-signature';

/**
 * Where delivery state lives: collections of the read store that belong to no generation, so a
 * rebuild or a new version of a read model never touches them (docs/adr/0018). The secrets are
 * here too, apart from the log, which keeps only their fingerprint.
 */
export const DELIVERIES = 'webhook_deliveries';
export const ENDPOINTS = 'webhook_endpoints';
export const SECRETS = 'webhook_secrets';
/** The checkpoint of the outbox (the log position up to which deliveries are recorded). */
export const OUTBOX_CHECKPOINT = 'webhook-outbox';
const SENDER_CHECKPOINT = 'webhook-sender';
const SECRETS_CHECKPOINT = 'webhook-secrets';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'dropped';
export const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead', 'dropped'];
/** Why a delivery was given up unsent: its webhook was deleted while it waited. */
export type DropReason = 'webhook-deleted';

export interface DeliveryDocument extends ReadDocument {
  readonly id: string;
  readonly webhookId: string;
  /** Order of sending within the webhook: the log position of what queued it (the event, or the redelivery request). */
  readonly sequence: number;
  readonly eventPosition: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly stream: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly queuedAt: string;
  readonly firstAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
  /** The last attempt's HTTP status (null: no answer) and what went wrong. */
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
  readonly deadAt: string | null;
  /** The delivery this one repeats (manual redelivery). */
  readonly redeliveryOf: string | null;
  /** A delivery given up unsent (`dropped`): when, and why. Absent in documents written before deliveries were dropped. */
  readonly droppedAt?: string | null;
  readonly dropReason?: DropReason | null;
  /**
   * Counts the writes made after the delivery was queued (attempts, a drop): an attempt is recorded only
   * over the version it began from (recordAttempt). Absent until the first such write.
   */
  readonly version?: number;
}

interface EndpointDocument extends ReadDocument, BreakerState {
  readonly lastFailureAt: string | null;
}

export class WebhookStore {
  constructor(private readonly store: ReadStore) {}

  async ensure(): Promise<void> {
    await this.store.ensureCollections([
      { name: DELIVERIES, indexes: [['webhookId', 'status', 'sequence'], ['webhookId', 'sequence']] },
      { name: ENDPOINTS },
      { name: SECRETS },
    ]);
  }

  /** Before the first write of a process: finishes a commit a crash interrupted (MongoDB's journal; nothing on SQLite). */
  async recover(): Promise<void> {
    await this.store.recover(OUTBOX_CHECKPOINT);
    await this.store.recover(SENDER_CHECKPOINT);
    await this.store.recover(SECRETS_CHECKPOINT);
  }

  /**
   * A registration's secret, written before the event that names its fingerprint (WebhookRegistered):
   * a secret without its event (a failed append) is never used, since the sender asks for a secret by
   * the fingerprint the log gives. Written only if the webhook has none yet (a compare-and-set from
   * none): a retried registration (the same webhook id) keeps the secret stored first.
   */
  async putSecret(webhookId: string, secret: string): Promise<void> {
    await this.store.putIfVersion(SECRETS, { id: webhookId, version: REGISTERED, secret, byFingerprint: { [secretFingerprint(secret)]: secret } }, null);
  }

  /**
   * A rotation's secret, written before WebhookSecretRotated, for a rotation decided on the
   * `webhooks` stream at `registryRevision`: kept beside the secrets of the fingerprints in `keep`
   * (the one being replaced), the others go. A compare-and-set on the document's version (the
   * registry revision of the rotation that wrote it): false, and nothing written, when another
   * rotation decided on this revision or a later one has written it, in this process or another.
   * So of two rotations at once only one stores its secret, and the winner's secret stays. The same
   * secret already stored on this revision is this rotation again (a retry whose append failed): true.
   */
  async rotateSecret(webhookId: string, secret: string, keep: readonly string[], registryRevision: number): Promise<boolean> {
    const existing = await this.store.get<SecretDocument>(SECRETS, webhookId);
    const version = storedVersion(existing);
    // Already written on this revision: by this very rotation, retried after its append failed (the same secret), or by another.
    if (version !== null && version >= registryRevision) return version === registryRevision && existing?.secret === secret;
    const kept = Object.fromEntries(Object.entries(existing ? secretsOf(existing) : {}).filter(([fingerprint]) => keep.includes(fingerprint)));
    const document: SecretDocument & { version: number } = { id: webhookId, version: registryRevision, secret, byFingerprint: { ...kept, [secretFingerprint(secret)]: secret } };
    return this.store.putIfVersion(SECRETS, document, version);
  }

  /** The secret of a webhook with this fingerprint (the log's current or previous one). */
  async secret(webhookId: string, fingerprint: string): Promise<string | undefined> {
    const document = await this.store.get<SecretDocument>(SECRETS, webhookId);
    return document ? secretsOf(document)[fingerprint] : undefined;
  }

  delivery(id: string): Promise<DeliveryDocument | undefined> {
    return this.store.get<DeliveryDocument>(DELIVERIES, id);
  }

  /** A webhook's deliveries, newest first. */
  deliveries(webhookId: string, options: { status?: DeliveryStatus; limit: number; cursor?: string }) {
    return this.store.find<DeliveryDocument>(DELIVERIES, {
      filter: { webhookId, ...(options.status ? { status: options.status } : {}) },
      sort: [{ field: 'sequence', direction: 'desc' }],
      limit: options.limit,
      ...(options.cursor ? { cursor: options.cursor } : {}),
    });
  }

  /** The oldest delivery still to send: the head of the webhook's line. */
  async head(webhookId: string): Promise<DeliveryDocument | undefined> {
    return (await this.line(webhookId, 1))[0];
  }

  /** The first `limit` deliveries still to send, head first (the line in `sequence` order). */
  async line(webhookId: string, limit: number): Promise<DeliveryDocument[]> {
    const page = await this.store.find<DeliveryDocument>(DELIVERIES, { filter: { webhookId, status: 'pending' }, sort: [{ field: 'sequence', direction: 'asc' }], limit });
    return page.items;
  }

  async countPending(webhookId: string): Promise<number> {
    return this.store.count(DELIVERIES, { webhookId, status: 'pending' });
  }

  async endpoint(webhookId: string): Promise<EndpointDocument> {
    return (await this.store.get<EndpointDocument>(ENDPOINTS, webhookId)) ?? { id: webhookId, ...CLOSED, lastFailureAt: null };
  }

  /**
   * One attempt's outcome: the delivery, written only over the version the attempt began from, then its
   * endpoint's breaker when it changed (undefined: as stored, so a success on a closed breaker is one
   * commit). False, with nothing written, when another sender recorded the delivery meanwhile:
   * a process paused past its projector lease while another took over must not overwrite what the other
   * recorded (a delivered one would be sent again).
   */
  async recordAttempt(before: DeliveryDocument, after: DeliveryDocument, endpoint: EndpointDocument | undefined): Promise<boolean> {
    const expected = storedVersion(before);
    if (!await this.store.putIfVersion(DELIVERIES, { ...after, version: (expected ?? 0) + 1 }, expected)) return false;
    if (endpoint) await this.store.commit(SENDER_CHECKPOINT, [{ kind: 'put', collection: ENDPOINTS, document: endpoint }], 0);
    return true;
  }

  /**
   * Gives up every delivery of the webhook still waiting (`dropped`, with the reason), in commits of
   * a page each; the number dropped. Only for a webhook that will queue and send nothing more.
   */
  async dropPending(webhookId: string, droppedAt: string, dropReason: DropReason): Promise<number> {
    let dropped = 0;
    for (;;) {
      const page = await this.store.find<DeliveryDocument>(DELIVERIES, { filter: { webhookId, status: 'pending' }, sort: [{ field: 'sequence', direction: 'asc' }], limit: DROP_PAGE });
      if (page.items.length === 0) return dropped;
      await this.store.commit(SENDER_CHECKPOINT, page.items.map((delivery) => ({
        kind: 'put' as const, collection: DELIVERIES, document: { ...delivery, status: 'dropped' as const, nextAttemptAt: null, droppedAt, dropReason, version: (storedVersion(delivery) ?? 0) + 1 },
      })), 0);
      dropped += page.items.length;
    }
  }

  outboxPosition(): Promise<number> {
    return this.store.checkpoint(OUTBOX_CHECKPOINT);
  }
}

export type { EndpointDocument };

/** Deliveries dropped per commit. */
const DROP_PAGE = 500;

/** The version of a registration's secret document: below every revision a rotation can be decided on. */
const REGISTERED = -1;

interface SecretDocument extends ReadDocument {
  /**
   * The registry revision of the rotation that wrote it (REGISTERED: the registration); absent in
   * documents written before rotations compared it.
   */
  readonly version?: number;
  /** The last secret put (the only field before rotation existed). */
  readonly secret: string;
  readonly byFingerprint?: Readonly<Record<string, string>>;
}

function secretsOf(document: SecretDocument): Record<string, string> {
  return { [secretFingerprint(document.secret)]: document.secret, ...(document.byFingerprint ?? {}) };
}
