import { ApiProperty } from '@nestjs/swagger';
import { ATTACHMENT_DESCRIPTION_MAX, ATTACHMENT_FILE_NAME_MAX, taxonomyCodes } from '@app/domain';
import { ActorDto } from '../../openapi/common.dto';
import { CommandAcceptedDto } from '../dto/complaint-commands.dto';
import { ATTACHMENT_MEDIA_TYPES } from './attachment-media';

const UUID = '0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e';
const SHA = '9f2c8a1b7e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b';

/** One file attached to a complaint. */
export class ComplaintAttachmentDto {
  @ApiProperty({ pattern: '^[0-9a-f]{64}$', example: SHA, description: 'SHA-256 of the bytes: the file\'s id, recorded in the event (the hash chain covers it).' })
  sha256!: string;

  @ApiProperty({ example: 48213, minimum: 1, description: 'Bytes.' })
  size!: number;

  @ApiProperty({ enum: ATTACHMENT_MEDIA_TYPES, example: 'image/jpeg', description: 'The type found in the content (magic bytes); the download is served as this.' })
  mediaType!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: ATTACHMENT_FILE_NAME_MAX, example: '加油小票-0302.jpg', description: 'The file name, cleaned (no path, no control characters) and at most 120 characters; null once the customer\'s personal data is erased.' })
  fileName!: string | null;

  @ApiProperty({ enum: taxonomyCodes('attachmentKind'), example: 'receipt', description: 'What the file is (GET /taxonomy, attachmentKind, has the labels).' })
  kind!: string;

  @ApiProperty({ type: String, nullable: true, example: '加油小票，显示 40 升' })
  description!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-03-01T09:40:00.000Z' })
  addedAt!: string;

  @ApiProperty({ type: () => ActorDto })
  by!: ActorDto;

  @ApiProperty({ example: 3, description: 'The revision of the event that recorded it.' })
  revision!: number;

  @ApiProperty({ format: 'uri-reference', example: `/complaints/${UUID}/attachments/${SHA}`, description: 'Where the file is downloaded (the same roles and departments as the complaint).' })
  href!: string;
}

export class ComplaintAttachmentsDto {
  @ApiProperty({ format: 'uuid', example: UUID })
  id!: string;

  @ApiProperty({ example: 3, description: 'The complaint\'s revision.' })
  revision!: number;

  @ApiProperty({ type: () => [ComplaintAttachmentDto], description: 'Oldest first.' })
  items!: ComplaintAttachmentDto[];
}

/** The answer to an upload: the command's outcome and the file as recorded. */
export class AttachmentAddedDto extends CommandAcceptedDto {
  @ApiProperty({ type: () => ComplaintAttachmentDto })
  attachment!: ComplaintAttachmentDto;
}

/** The multipart body of an upload, as the OpenAPI document describes it. */
export const UPLOAD_BODY_SCHEMA = {
  type: 'object',
  required: ['file', 'kind'],
  additionalProperties: false,
  properties: {
    file: { type: 'string', format: 'binary', description: `One file, at most ATTACHMENT_MAX_BYTES (default 10 MiB), of a type found in its content: ${ATTACHMENT_MEDIA_TYPES.join(', ')}.` },
    kind: { type: 'string', enum: taxonomyCodes('attachmentKind'), description: 'What the file is: a receipt, a photo, the sample record, the quality dispute form (质量纠纷判断表), the metering dispute form (计量纠纷判断表), other.' },
    description: { type: 'string', maxLength: ATTACHMENT_DESCRIPTION_MAX, description: 'What it shows (optional).' },
  },
};
