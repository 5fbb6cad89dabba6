/** The refusals of an upload or a download that the HTTP edge decides (the domain's are in libs/domain). */
export const ATTACHMENT_PROBLEM_CODES = [
  'attachment-missing', 'attachment-empty', 'attachment-too-large', 'attachment-type-not-allowed', 'attachment-type-mismatch', 'malformed-multipart',
  'attachment-not-found', 'customer-erased',
] as const;
export type AttachmentProblemCode = (typeof ATTACHMENT_PROBLEM_CODES)[number];

/** Refused before anything is stored: the status, a stable code, a message that says how to fix it. */
export class AttachmentRefusedError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 413 | 415,
    readonly code: AttachmentProblemCode | 'unsupported-media-type',
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
