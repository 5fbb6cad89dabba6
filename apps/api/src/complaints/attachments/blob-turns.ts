import { KeyedTurns } from '@app/event-sourcing';

/**
 * Turns per stored file (its SHA-256), in this process, shared by the uploads and the erasure's file
 * deletion (docs/adr/0019, "A file another customer uploads while it is erased"). An upload holds the
 * file's turn from putting its bytes to recording its attachment (and deleting them again on a
 * refusal); the erasure holds it from checking that no complaint of a customer not erased names the
 * file to deleting it. So an upload lands wholly before the check (the file is kept for it) or wholly
 * after the delete (its put stores the bytes again). API instances side by side are not covered.
 */
export class BlobTurns extends KeyedTurns {}
