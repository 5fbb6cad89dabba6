import { SharedTurns, type SharedTurnsOptions, type TurnLeases } from '@app/event-sourcing';

/**
 * Turns per stored file (its SHA-256), shared by the uploads and the erasure's file deletion
 * (docs/adr/0019, "A file another customer uploads while it is erased"). An upload holds the file's
 * turn from putting its bytes to recording its attachment (and deleting them again on a refusal); the
 * erasure holds it from checking that no complaint of a customer not erased names the file to
 * deleting it. So an upload lands wholly before the check (the file is kept for it) or wholly after
 * the delete (its put stores the bytes again). The turn holds across API instances on the same stores:
 * a lease per SHA-256 in the read store (`blob-turn:<sha256>`, SharedTurns).
 */
export class BlobTurns extends SharedTurns {
  constructor(leases?: TurnLeases, options?: SharedTurnsOptions) {
    super(leases, 'blob-turn', options);
  }
}
