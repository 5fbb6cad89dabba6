import { createHash } from 'node:crypto';
import { freeTextProblems, isBlankText } from '../dto/fields';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Multipart } from '@fastify/multipart';
import { BlobStore, type StoredBlob } from '@app/blob-store';
import { ErasedAttachments } from '@app/customers';
import type { RecordedEvent } from '@app/event-store';
import { storedDataOf } from '@app/event-sourcing';
import { KeyStore, isEnvelope } from '@app/key-store';
import { ATTACHMENT_DESCRIPTION_MAX, TAXONOMY, isCodeIn, type AttachmentKind } from '@app/domain';
import { RequestValidationError } from '../../http/request-errors';
import { detectMediaType, mediaTypeName, type AttachmentMediaType } from './attachment-media';
import { AttachmentRefusedError } from './attachment-errors';
import { BlobTurns } from './blob-turns';
import { ATTACHMENT_SETTINGS, sizeInWords, type AttachmentSettings } from './attachment-settings';

/** An upload read and checked: nothing of it is stored yet. */
export interface ReceivedUpload {
  readonly bytes: Buffer;
  readonly sha256: string;
  readonly fileName: string;
  readonly mediaType: AttachmentMediaType;
  readonly kind: AttachmentKind;
  readonly description?: string;
}

const FIELDS = ['file', 'kind', 'description'] as const;
const DESCRIPTION_TOO_LONG = `description must be at most ${ATTACHMENT_DESCRIPTION_MAX} characters`;
/** What the multipart headers and the two text fields may add to the file's size. */
const ENVELOPE_BYTES = 64 * 1024;
const KINDS = Object.keys(TAXONOMY.attachmentKind);

/**
 * An attachment on its way in: the multipart body read within the limits (one file, the fields kind
 * and description, nothing else), the type found in the content, then the blob stored and the
 * event recorded, or neither. The same content is stored once (content-addressed); a blob this
 * upload created is deleted again when the command is refused, in the file's turn (`BlobTurns`) so
 * that a concurrent upload of the same file to another complaint, or an erasure deleting it, in this
 * or another API instance on the same stores never loses it.
 */
@Injectable()
export class AttachmentUploads {
  private readonly logger = new Logger('AttachmentUploads');
  /** The refusals of `refuseIfErased`: the erased files go once the upload has left the file's turn. */
  private readonly erasedMeanwhile = new WeakSet<Error>();

  constructor(
    private readonly blobs: BlobStore,
    @Inject(ATTACHMENT_SETTINGS) private readonly settings: AttachmentSettings,
    private readonly keys: KeyStore,
    private readonly erased: ErasedAttachments,
    private readonly turns: BlobTurns,
  ) {}

  /**
   * Before recording: the customer's erasure is recorded and its keys are closed, not yet destroyed.
   * The attachment would be sealed under the key being erased, so it is refused, with nothing recorded
   * (docs/adr/0019, "Racing uploads"). Once the keys are destroyed, an upload is the customer coming back.
   */
  async refuseWhileErasing(complaintId: string, customerId: string): Promise<void> {
    const live = await this.keys.liveKey(customerId);
    if (live && await this.keys.get(live.keyId) === null) {
      throw customerErased(complaintId, 'Nothing was recorded or kept.');
    }
  }

  /**
   * After recording: the attachment was sealed under a key that an erasure has closed since (the
   * erasure ran while the upload was on its way, maybe all of it, its file deletion included). The
   * upload is refused, and its bytes go as soon as it has left the file's turn (`store`, which the
   * deletion takes); had the key still opened here, the erasure's own deletion (after it closes the
   * keys) finds the attachment in the log.
   */
  async refuseIfErased(complaintId: string, recorded: RecordedEvent | undefined): Promise<void> {
    const personal = recorded && storedDataOf(recorded)['personal'];
    if (!isEnvelope(personal) || await this.keys.get(personal.kid) !== null) return;
    const refusal = customerErased(complaintId, 'The complaint records it as an erased attachment, with no name and no bytes.');
    this.erasedMeanwhile.add(refusal);
    throw refusal;
  }

  async read(request: FastifyRequest): Promise<ReceivedUpload> {
    if (!request.isMultipart()) {
      throw new AttachmentRefusedError(415, 'unsupported-media-type', 'Send the file as multipart/form-data, with the fields file, kind and (optionally) description, e.g. curl -F file=@receipt.jpg -F kind=receipt.');
    }
    const { maxBytes } = this.settings;
    const declaredLength = Number(request.headers['content-length']);
    if (Number.isFinite(declaredLength) && declaredLength > maxBytes + ENVELOPE_BYTES) throw this.tooLarge();
    const fields = new Map<string, string>();
    const fieldsSeen = new Set<string>();
    const errors: Array<{ field: string; message: string }> = [];
    let file: { chunks: Buffer[]; truncated: boolean; fileName: string; declaredType: string } | undefined;
    let files = 0;
    try {
      // Up to three file parts are read (parts: 3 bounds them), so that kind or description sent as a
      // file is named as such; only the first part named file is kept, any other is read and dropped.
      const parts = request.parts({
        limits: { fileSize: maxBytes, files: 3, fields: 2, parts: 3, fieldSize: 4 * ATTACHMENT_DESCRIPTION_MAX, fieldNameSize: 100, headerPairs: 20 },
        throwFileSizeLimit: false,
      } as Parameters<FastifyRequest['parts']>[0]);
      for await (const part of parts as AsyncIterable<Multipart>) {
        if (!(FIELDS as readonly string[]).includes(part.fieldname)) errors.push({ field: part.fieldname.slice(0, 100), message: `${part.fieldname.slice(0, 100)} is not a field of an upload; send file, kind and (optionally) description` });
        if (part.type === 'file') {
          const keep = part.fieldname === 'file' && file === undefined;
          const chunks: Buffer[] = [];
          // Read to the end even past the limit (busboy skips the rest): the whole body is consumed before the answer.
          for await (const chunk of part.file) if (keep) chunks.push(chunk as Buffer);
          if (part.fieldname === 'file') files += 1;
          if (keep) file = { chunks, truncated: part.file.truncated, fileName: part.filename ?? '', declaredType: (part.mimetype ?? '').split(';')[0]!.trim().toLowerCase() };
          else if (part.fieldname !== 'file' && (FIELDS as readonly string[]).includes(part.fieldname)) errors.push({ field: part.fieldname, message: textFieldSentAs(part.fieldname, 'a file') });
          continue;
        }
        fieldsSeen.add(part.fieldname);
        if (part.fieldname === 'file') errors.push({ field: 'file', message: 'file must be a file part (a filename in its Content-Disposition), not a text field' });
        else if (fields.has(part.fieldname)) errors.push({ field: part.fieldname, message: `${part.fieldname} is given twice; send it once` });
        // The parser takes a text part declared application/json as JSON; kind and description are plain text.
        else if (part.mimetype.startsWith('application/json')) errors.push({ field: part.fieldname, message: textFieldSentAs(part.fieldname, 'application/json') });
        // Past busboy's byte limit: the same words as a description read in full and found too long.
        else if (part.valueTruncated) errors.push({ field: part.fieldname, message: part.fieldname === 'description' ? DESCRIPTION_TOO_LONG : `${part.fieldname} is too long: kind is one of ${KINDS.join(', ')}` });
        else fields.set(part.fieldname, String(part.value));
      }
    } catch (error) {
      // A text part declared application/json whose value is no JSON: the parser drops it and says so only at
      // the end, without its name; it is the text field that did not arrive (kind first: it is required). When kind
      // arrived and no file did, the part may as well have been the file sent as text: said in general words.
      if ((error as { code?: unknown })?.code === 'FST_INVALID_JSON_FIELD_ERROR') {
        const field = ['kind', 'description'].find((name) => !fieldsSeen.has(name));
        if (field === undefined || (field === 'description' && files === 0)) {
          throw new AttachmentRefusedError(400, 'malformed-multipart', 'A text part of the upload is declared application/json and is no JSON: send the file as a file part (curl -F file=@receipt.jpg), kind and description as plain text (curl -F kind=receipt), and no other part.');
        }
        throw new RequestValidationError([{ field, message: textFieldSentAs(field, 'application/json') }]);
      }
      throw multipartRefusal(error);
    }
    if (files > 1) throw multipartRefusal({ code: 'FST_FILES_LIMIT' });
    const kind = fields.get('kind');
    if (kind === undefined) {
      // kind sent otherwise than as text has its own message already.
      if (!errors.some((error) => error.field === 'kind')) errors.push({ field: 'kind', message: `kind is required: one of ${KINDS.join(', ')}` });
    } else if (!isCodeIn(TAXONOMY.attachmentKind, kind)) errors.push({ field: 'kind', message: `kind must be one of ${KINDS.join(', ')} (got ${JSON.stringify(kind.slice(0, 40))})` });
    const description = fields.get('description');
    if (description !== undefined && [...description].length > ATTACHMENT_DESCRIPTION_MAX) errors.push({ field: 'description', message: DESCRIPTION_TOO_LONG });
    else if (description !== undefined) errors.push(...freeTextProblems('description', description));
    if (file?.truncated) throw this.tooLarge();
    // A blank description alone keeps the code the command gave it before the edge refused it.
    if (errors.length > 0) throw new RequestValidationError(errors, errors.length === 1 && description !== undefined && isBlankText(description) ? 'blank-text' : 'validation-failed');
    if (file === undefined) throw new AttachmentRefusedError(400, 'attachment-missing', 'No file: send it in the multipart field file (curl -F file=@receipt.jpg).', 'file');
    const bytes = Buffer.concat(file.chunks);
    if (bytes.length === 0) throw new AttachmentRefusedError(400, 'attachment-empty', 'The file is empty: send the file itself (0 bytes arrived).', 'file');
    const mediaType = this.mediaTypeOf(bytes, file.declaredType, file.fileName);
    return {
      bytes, sha256: createHash('sha256').update(bytes).digest('hex'), fileName: file.fileName, mediaType, kind: kind as AttachmentKind,
      ...(description === undefined ? {} : { description }),
    };
  }

  /**
   * Stores the blob, then records; a blob this call created is removed again when recording fails,
   * or when it recorded nothing new (`recorded` not called): a retry of an upload the complaint already
   * names (an answer replayed for its Idempotency-Key, or its command seen again) whose bytes were
   * gone, erased with its customer, must not bring them back (docs/adr/0019).
   */
  async store<T>(upload: ReceivedUpload, record: (blob: StoredBlob, recorded: () => void) => Promise<T>): Promise<T> {
    try {
      return await this.storeInTurn(upload, record);
    } catch (error) {
      if (error instanceof Error && this.erasedMeanwhile.has(error)) await this.erased.deleteErased();
      throw error;
    }
  }

  /** From putting the bytes to recording (or removing them again) in the file's turn, which an erasure's deletion takes too. */
  private storeInTurn<T>(upload: ReceivedUpload, record: (blob: StoredBlob, recorded: () => void) => Promise<T>): Promise<T> {
    return this.turns.inTurn(upload.sha256, async () => {
      const blob = await this.blobs.put(upload.bytes);
      let recordedNow = false;
      try {
        const result = await record(blob, () => { recordedNow = true; });
        if (blob.created && !recordedNow) await this.remove(blob, 'an upload that recorded nothing new');
        return result;
      } catch (error) {
        if (blob.created) await this.remove(blob, 'a refused upload');
        throw error;
      }
    });
  }

  private async remove(blob: StoredBlob, why: string): Promise<void> {
    await this.blobs.delete(blob.sha256).catch((failure: unknown) => this.logger.warn(`could not remove the blob ${blob.sha256} of ${why}: ${(failure as Error).message}`));
  }

  private mediaTypeOf(bytes: Buffer, declaredType: string, fileName: string): AttachmentMediaType {
    const taken = this.settings.mediaTypes;
    const found = detectMediaType(bytes, { type: declaredType, fileName });
    const list = taken.map((type) => type.replace(/^application\/vnd\.openxmlformats-officedocument\.|^application\/vnd\.oasis\.opendocument\.|^application\/vnd\.ms-/, '')).join(', ');
    if (found === undefined || !taken.includes(found)) {
      const what = found === undefined ? 'its content is none of them' : `it is ${mediaTypeName(found)} (${found}), which this server does not take (ATTACHMENT_MEDIA_TYPES)`;
      throw new AttachmentRefusedError(415, 'attachment-type-not-allowed', `The file is not of a type taken here (${list}): ${what}. The content is checked, not the name; HTML, SVG and programs are never taken.`, 'file');
    }
    const sameFamily = declaredType.startsWith('text/') && found.startsWith('text/');
    if (declaredType !== '' && declaredType !== 'application/octet-stream' && declaredType !== found && !sameFamily) {
      throw new AttachmentRefusedError(415, 'attachment-type-mismatch', `The file was sent as ${declaredType.slice(0, 100)}, but its content is ${mediaTypeName(found)} (${found}): send it with its real type (or as application/octet-stream).`, 'file');
    }
    return found;
  }

  private tooLarge(): AttachmentRefusedError {
    return new AttachmentRefusedError(413, 'attachment-too-large', `The file is larger than ${sizeInWords(this.settings.maxBytes)} (ATTACHMENT_MAX_BYTES): send a smaller one (a photo at a lower resolution, a document split in parts).`, 'file');
  }
}

function customerErased(complaintId: string, outcome: string): AttachmentRefusedError {
  return new AttachmentRefusedError(409, 'customer-erased', `The customer of complaint ${complaintId} was erased while this file was on its way, so the file is not kept: ${outcome} `
    + 'If the customer sends it again after the erasure, upload it again: it is then recorded as given anew, and goes with a further erasure.');
}

/** kind or description sent as something else than a plain text part, and how to send it (curl). */
function textFieldSentAs(field: string, what: 'a file' | 'application/json'): string {
  const example = field === 'kind' ? `-F kind=receipt (one of ${KINDS.join(', ')})` : "-F 'description=加油小票'";
  return what === 'a file'
    ? `${field} is a text field, not a file: send its value as text, as curl ${example} does (no @)`
    : `${field} is a text field, sent here as application/json: send it as plain text, as curl ${example} does (no ;type=application/json)`;
}

/** What the multipart parser refused, said as a problem (never a 500). */
function multipartRefusal(error: unknown): Error {
  if (error instanceof AttachmentRefusedError || error instanceof RequestValidationError) return error;
  const code = (error as { code?: unknown })?.code;
  switch (code) {
    case 'FST_FILES_LIMIT':
      return new AttachmentRefusedError(400, 'malformed-multipart', 'Send one file per request, in the field file (upload each file with its own request).', 'file');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AttachmentRefusedError(400, 'malformed-multipart', 'Too many parts: send the fields file, kind and (optionally) description, once each.');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AttachmentRefusedError(415, 'unsupported-media-type', 'Send the file as multipart/form-data.');
    case 'FST_PROTO_VIOLATION':
      return new AttachmentRefusedError(400, 'malformed-multipart', 'A field name is not allowed (__proto__, constructor …): send file, kind and description.');
    default:
      return new AttachmentRefusedError(400, 'malformed-multipart', `The multipart body cannot be read (${String((error as Error)?.message ?? error).slice(0, 120)}); send multipart/form-data with a boundary, as curl -F or a browser's FormData does.`);
  }
}
