import type { ChainVerdict } from '@app/event-sourcing';
import type { HeaderObject } from '@nestjs/swagger';

/**
 * The chain's verdict of GET /audit/access as a header, for the CSV (whose rows are the entries and nothing else: a
 * leading comment row would be read as a row by CSV parsers). ASCII words and numbers only; the reason of a break is
 * free text, and stays in the JSON's `verification` and GET /audit/verify.
 */
export function chainVerdictHeader(verdict: ChainVerdict): string {
  return verdict.ok ? `intact; events=${verdict.events}; head=${verdict.head}` : `broken; revision=${verdict.revision}`;
}

export const CHAIN_VERDICT_HEADER: HeaderObject = {
  required: true,
  description: 'The access-control hash chain\'s verdict, as `verification` in the JSON: `intact; events=N; head=HASH`, or `broken; revision=N` '
    + '(where it breaks; the reason is in the JSON and GET /audit/verify?stream=access-control). Sent with the CSV too, whose rows are the entries only.',
  schema: { type: 'string', pattern: '^(intact; events=\\d+; head=[0-9a-f]{64}|broken; revision=\\d+)$', example: `intact; events=12; head=${'0'.repeat(64)}` },
};
