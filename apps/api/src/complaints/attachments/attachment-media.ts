/**
 * The media types an attachment may have, each told by its content (magic bytes), never by the
 * name or the declared type alone: a file is stored and served as what it is. HTML, SVG and XML
 * are not among them (a browser would run their scripts), nor is anything not recognised.
 */
export const ATTACHMENT_MEDIA_TYPES = [
  'image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf', 'text/plain', 'text/csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.presentation',
] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

/** Short names for messages ("a PDF", "a Word document"). */
const NAMES: Record<AttachmentMediaType, string> = {
  'image/jpeg': 'a JPEG image', 'image/png': 'a PNG image', 'image/webp': 'a WebP image', 'image/gif': 'a GIF image', 'application/pdf': 'a PDF',
  'text/plain': 'plain text', 'text/csv': 'CSV text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'a Word document (.docx)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'an Excel workbook (.xlsx)',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'a PowerPoint presentation (.pptx)',
  'application/msword': 'a Word 97–2003 document (.doc)', 'application/vnd.ms-excel': 'an Excel 97–2003 workbook (.xls)',
  'application/vnd.ms-powerpoint': 'a PowerPoint 97–2003 presentation (.ppt)',
  'application/vnd.oasis.opendocument.text': 'an OpenDocument text (.odt)', 'application/vnd.oasis.opendocument.spreadsheet': 'an OpenDocument spreadsheet (.ods)',
  'application/vnd.oasis.opendocument.presentation': 'an OpenDocument presentation (.odp)',
};
export const mediaTypeName = (type: AttachmentMediaType): string => NAMES[type];

/** The file name extensions of each type, the usual one first (lower case). */
const EXTENSIONS: Record<AttachmentMediaType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'], 'image/png': ['png'], 'image/webp': ['webp'], 'image/gif': ['gif'], 'application/pdf': ['pdf'],
  'text/plain': ['txt', 'text', 'log'], 'text/csv': ['csv'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/msword': ['doc'], 'application/vnd.ms-excel': ['xls'], 'application/vnd.ms-powerpoint': ['ppt'],
  'application/vnd.oasis.opendocument.text': ['odt'], 'application/vnd.oasis.opendocument.spreadsheet': ['ods'], 'application/vnd.oasis.opendocument.presentation': ['odp'],
};

/**
 * The name a download carries: the name given at upload when it ends with an extension of the type
 * found in the bytes, else that name with the type's usual extension added (receipt.html holding
 * text is served as receipt.html.txt), so that a saved file opens as what it is, never as a page
 * whose script runs (docs/adr/0016). Without a name (erased): attachment-<hash prefix>.<extension>.
 */
export function downloadName(fileName: string | null, mediaType: string, sha256: string): string {
  const extensions = EXTENSIONS[mediaType as AttachmentMediaType] ?? ['bin'];
  if (fileName === null) return `attachment-${sha256.slice(0, 12)}.${extensions[0]}`;
  const given = /\.([^.]*)$/.exec(fileName)?.[1]?.toLowerCase();
  return given !== undefined && extensions.includes(given) ? fileName : `${fileName}.${extensions[0]}`;
}

const LEGACY_OFFICE: Record<string, AttachmentMediaType> = { doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint' };
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP = Buffer.from('PK\x03\x04', 'latin1');

/**
 * What the bytes are, or undefined when they are none of the attachment types. The declared type and
 * the file name only choose between types the content cannot tell apart: CSV or plain text, and the
 * three Office 97–2003 formats (one container format for all three).
 */
export function detectMediaType(bytes: Buffer, declared: { readonly type: string; readonly fileName: string }): AttachmentMediaType | undefined {
  const starts = (signature: Buffer | string, offset = 0) => {
    const expected = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : signature;
    return bytes.length >= offset + expected.length && bytes.subarray(offset, offset + expected.length).equals(expected);
  };
  if (starts(Buffer.from([0xff, 0xd8, 0xff]))) return 'image/jpeg';
  if (starts(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (starts('GIF87a') || starts('GIF89a')) return 'image/gif';
  if (starts('RIFF') && starts('WEBP', 8)) return 'image/webp';
  if (starts('%PDF-')) return 'application/pdf';
  const extension = /\.([a-z0-9]{1,8})$/i.exec(declared.fileName)?.[1]?.toLowerCase() ?? '';
  if (starts(OLE2)) {
    const byType = (Object.values(LEGACY_OFFICE) as string[]).includes(declared.type) ? declared.type as AttachmentMediaType : undefined;
    return byType ?? LEGACY_OFFICE[extension];
  }
  if (starts(ZIP)) return zippedDocument(bytes);
  if (isPlainText(bytes)) return declared.type === 'text/csv' || extension === 'csv' ? 'text/csv' : 'text/plain';
  return undefined;
}

/** An Office Open XML or OpenDocument file (both zip archives), told by the parts it holds. */
function zippedDocument(bytes: Buffer): AttachmentMediaType | undefined {
  // OpenDocument: the first entry is "mimetype", stored uncompressed, holding the type.
  if (bytes.subarray(30, 38).toString('latin1') === 'mimetype') {
    const type = bytes.subarray(38, 38 + 80).toString('latin1');
    for (const kind of ['text', 'spreadsheet', 'presentation'] as const) {
      const full = `application/vnd.oasis.opendocument.${kind}`;
      if (type.startsWith(full) && !type.startsWith(`${full}-`)) return full as AttachmentMediaType;
    }
    return undefined;
  }
  // Office Open XML: [Content_Types].xml and the main part, named in the archive's directory.
  if (!bytes.includes('[Content_Types].xml', 0, 'latin1')) return undefined;
  if (bytes.includes('word/document.xml', 0, 'latin1')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (bytes.includes('xl/workbook.xml', 0, 'latin1')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (bytes.includes('ppt/presentation.xml', 0, 'latin1')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  return undefined;
}

/**
 * Text: valid UTF-8 (a byte-order mark allowed), no control characters but tab, line feed, carriage
 * return and form feed, and not markup: text that opens with "<" is refused (HTML, SVG or XML would
 * be run by a browser that guessed its type).
 */
function isPlainText(bytes: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return false;
  return !/^\uFEFF?\s*</.test(text);
}
