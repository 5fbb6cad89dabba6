import { detectMediaType, downloadName } from './attachment-media';

const as = (type = 'application/octet-stream', fileName = 'file') => ({ type, fileName });
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part))));

describe('the media type of an attachment, told by its content', () => {
  it.each([
    ['a JPEG', bytes([0xff, 0xd8, 0xff, 0xe1], 'Exif'), 'image/jpeg'],
    ['a PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR'), 'image/png'],
    ['a GIF', bytes('GIF89a', [1, 0, 1, 0]), 'image/gif'],
    ['a WebP', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['a PDF', bytes('%PDF-1.4\n'), 'application/pdf'],
    ['UTF-8 text', Buffer.from('加油机显示 40 升，实际 35 升。\r\n\tok'), 'text/plain'],
    ['a .docx', bytes('PK\x03\x04', 'xxxx[Content_Types].xml....word/document.xml'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['a .xlsx', bytes('PK\x03\x04', 'xxxx[Content_Types].xml....xl/workbook.xml'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['a .pptx', bytes('PK\x03\x04', 'xxxx[Content_Types].xml....ppt/presentation.xml'), 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['an .odt', bytes('PK\x03\x04', 'x'.repeat(26), 'mimetype', 'application/vnd.oasis.opendocument.text', 'PK'), 'application/vnd.oasis.opendocument.text'],
  ])('knows %s', (_name, content, type) => {
    expect(detectMediaType(content, as())).toBe(type);
  });

  it('tells CSV from plain text by the declared type or the name only', () => {
    const text = Buffer.from('油品,升数\n92#,40\n');
    expect(detectMediaType(text, as('text/csv'))).toBe('text/csv');
    expect(detectMediaType(text, as('application/octet-stream', '样品记录.CSV'))).toBe('text/csv');
    expect(detectMediaType(text, as('text/plain', 'notes.txt'))).toBe('text/plain');
  });

  it('tells the three Office 97–2003 formats apart by the declared type or the name, and takes none without them', () => {
    const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'rest');
    expect(detectMediaType(ole, as('application/msword'))).toBe('application/msword');
    expect(detectMediaType(ole, as('application/octet-stream', 'form.xls'))).toBe('application/vnd.ms-excel');
    expect(detectMediaType(ole, as('application/octet-stream', 'form.msi'))).toBeUndefined();
  });

  it.each([
    ['HTML', Buffer.from('<!doctype html><html><script>alert(1)</script>')],
    ['HTML after blanks and a byte-order mark', Buffer.from('\uFEFF  \n<html>')],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')],
    ['XML', Buffer.from('<?xml version="1.0"?><a/>')],
    ['a Windows program', bytes('MZ', [0x90, 0, 3, 0])],
    ['an ELF program', bytes([0x7f], 'ELF', [2, 1, 1])],
    ['text with NUL bytes', bytes('abc', [0], 'def')],
    ['invalid UTF-8 (GBK text)', Buffer.from([0xbc, 0xd3, 0xd3, 0xcd])],
    ['a zip that is no document', bytes('PK\x03\x04', 'xxxx', 'payload.exe')],
  ])('refuses %s', (_name, content) => {
    expect(detectMediaType(content, as('image/jpeg', 'receipt.jpg'))).toBeUndefined();
  });
});

describe('the name a download carries: always an extension of the type found in the bytes', () => {
  const sha256 = '9f2c8a1b7e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b';
  it.each([
    ['receipt.html', 'text/plain', 'receipt.html.txt'],
    ['invoice.HTM', 'application/pdf', 'invoice.HTM.pdf'],
    ['page.svg', 'image/png', 'page.svg.png'],
    ['readme', 'text/plain', 'readme.txt'],
    ['trailing.', 'text/plain', 'trailing..txt'],
    ['加油小票.JPG', 'image/jpeg', '加油小票.JPG'],
    ['photo.jpeg', 'image/jpeg', 'photo.jpeg'],
    ['样品记录.txt', 'text/csv', '样品记录.txt.csv'],
    ['form.doc', 'application/msword', 'form.doc'],
    ['form.docx', 'application/msword', 'form.docx.doc'],
    ['a.ｈｔｍｌ', 'text/plain', 'a.ｈｔｍｌ.txt'],
  ])('%s holding %s is served as %s', (fileName, mediaType, served) => {
    expect(downloadName(fileName, mediaType, sha256)).toBe(served);
  });

  it('names an erased file by its hash, and a type it does not know as .bin', () => {
    expect(downloadName(null, 'application/pdf', sha256)).toBe('attachment-9f2c8a1b7e4d.pdf');
    expect(downloadName('x.html', 'application/x-unknown', sha256)).toBe('x.html.bin');
  });
});
