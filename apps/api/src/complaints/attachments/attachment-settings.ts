import { ATTACHMENT_MEDIA_TYPES, type AttachmentMediaType } from './attachment-media';

/** What an upload may be (ATTACHMENT_MAX_BYTES, ATTACHMENT_MEDIA_TYPES). */
export interface AttachmentSettings {
  readonly maxBytes: number;
  readonly mediaTypes: readonly AttachmentMediaType[];
}

export const DEFAULT_ATTACHMENT_SETTINGS: AttachmentSettings = { maxBytes: 10 * 1024 * 1024, mediaTypes: ATTACHMENT_MEDIA_TYPES };

/** The Nest token of the settings. */
export const ATTACHMENT_SETTINGS = Symbol('AttachmentSettings');

/** "10 MiB", "512 KiB", "900 bytes": sizes in messages. */
export function sizeInWords(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
