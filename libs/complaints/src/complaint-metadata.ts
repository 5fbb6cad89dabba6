import type { Actor } from '@app/domain';

/** Metadata of every stored complaint event (docs/adr/0002). */
export interface ComplaintEventMetadata {
  readonly eventId: string;
  readonly commandId: string;
  readonly commandType: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  readonly reason?: string;
  /** When the decision was taken (the command's time). */
  readonly occurredAt: string;
  /** Version of the event type's data schema (COMPLAINT_EVENT_SCHEMA_VERSIONS); older ones are upcast on read. */
  readonly schemaVersion: number;
  /** Link of the stream's hash chain (docs/adr/0006). */
  readonly hash: string;
}
