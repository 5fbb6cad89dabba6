import type { SchemaObject } from '@nestjs/swagger';
import { PROBLEM_CODES } from '../http/problem';

/**
 * RFC 9457 problem details as one schema component, shared by every error response of the
 * document. `code` is the closed enum of PROBLEM_CODES; the extensions are those some answers add.
 */
export const PROBLEM_PROPERTIES: Record<string, SchemaObject> = {
  type: { type: 'string', format: 'uri', description: 'Identifies the kind of problem: the base URI followed by `code`.', example: 'https://complaint-desk.dev/problems/not-received' },
  title: { type: 'string', description: 'The status in words.', example: 'Conflict' },
  status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status, repeated.', example: 409 },
  detail: { type: 'string', description: 'What went wrong and how to fix it, in English.', example: 'Only a received complaint can be judged well-founded. This complaint is assigned.' },
  instance: { type: 'string', format: 'uri-reference', description: 'The path of the request.', example: '/complaints/0c8f3f0e-5a7d-5b1e-9c4e-2f1a3b4c5d6e/validate' },
  code: { type: 'string', enum: [...PROBLEM_CODES], description: 'Machine-readable and stable: switch on this, never on `detail`.', example: 'not-received' },
  errors: {
    type: 'array',
    description: 'One entry per invalid field (400).',
    items: {
      type: 'object',
      required: ['field', 'message'],
      properties: {
        field: { type: 'string', description: 'The body field, query parameter or header.', example: 'reason' },
        message: { type: 'string', description: 'How to fix it.', example: 'reason must be text of 1–2000 characters' },
      },
    },
  },
  requestId: { type: 'string', description: 'The request\'s X-Request-Id, as in the server\'s log.', example: 'f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d' },
  command: { type: 'string', description: '409 in a complaint\'s current status: the command refused.', example: 'ValidateComplaint' },
  currentStatus: { type: 'string', description: '409 in a complaint\'s current status: its status.', example: 'assigned' },
  expectedRevision: { type: 'integer', description: '412: the revision If-Match named.', example: 2 },
  expectedRevisions: { type: 'array', items: { type: 'integer' }, description: '412: the revisions an If-Match list named (none of them is the current one).', example: [2, 3] },
  // nullable: the document builder writes it as a type union with null (OpenAPI 3.1).
  currentRevision: { type: 'integer', nullable: true, description: '412: the current revision (null: the complaint does not exist yet).', example: 3 },
  survivorId: { type: 'string', description: '409 customer-file-merged: the file this one was merged into.', example: 'cust-20001' },
  lastSurvivorId: { type: 'string', description: '409 customer-file-merged: where the command should go, the file that stays for this one now: survivorId, or the end of the chain when survivorId was merged on too.', example: 'cust-20001' },
  revokedAt: { type: 'string', format: 'date-time', description: '409 token-already-revoked: when it was revoked.', example: '2026-03-01T09:30:00.000Z' },
  available: { type: 'array', items: { type: 'string' }, description: '406: the media types the route answers.', example: ['application/json', 'text/csv'] },
  projection: { type: 'string', description: '503 projection-failed: the failing projection whose read model the read depends on.', example: 'sla' },
  position: { type: 'integer', description: '503 projection-failed: the position its read model holds.', example: 40 },
  minPosition: { type: 'integer', description: '503 projection-failed: the minPosition the read asked for.', example: 45 },
  failedPosition: { type: 'integer', description: '503 projection-failed: the position of the event it failed on.', example: 42 },
  eventType: { type: 'string', nullable: true, description: '503 projection-failed: the type of that event (null: the commit of its batch failed).', example: 'ComplaintAssigned' },
  since: { type: 'string', format: 'date-time', description: '503 projection-failed: when it first failed there.', example: '2026-03-01T08:00:00.000Z' },
};

export const PROBLEM_SCHEMA = {
  name: 'Problem',
  schema: {
    type: 'object',
    description: 'An error (RFC 9457 problem details), sent as application/problem+json.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: PROBLEM_PROPERTIES,
  } satisfies SchemaObject,
};
