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

/**
 * The chain's verdict in the CSV's file name (`audit-access-<day>-chain-intact-<events>.csv`, `…-chain-broken-at-<revision>.csv`):
 * a header is lost when the file is saved, a name is kept, and the rows stay the entries only (a verdict row or a
 * comment line is not CSV to many tools). The head hash is the last row's `hash`, so the name needs only the count; with no event
 * (`chain-intact-0`) there is no row, and the head is the chain's start (chainStart: the SHA-256 of `stream:access-control`).
 */
export function chainVerdictFileTag(verdict: ChainVerdict): string {
  return verdict.ok ? `chain-intact-${verdict.events}` : `chain-broken-at-${verdict.revision}`;
}

export const CHAIN_VERDICT_FILE_NAME: HeaderObject = {
  required: false,
  description: 'CSV only: `attachment; filename="audit-access-<YYYY-MM-DD>-chain-intact-<N>.csv"` (N events checked; the head hash is the last row\'s `hash`, or with N = 0, no row, the chain\'s start: the SHA-256 of `stream:access-control`, '
    + '65ad91f8522d8e424a153bea07cd717dc3b30d4edddcfcbe05430d7dbb94064d), '
    + 'or `…-chain-broken-at-<N>.csv` (the revision where the chain breaks): the verdict of X-Chain-Verdict, kept by a saved file.',
  schema: { type: 'string', pattern: '^attachment; filename="audit-access-\\d{4}-\\d{2}-\\d{2}-chain-(intact-\\d+|broken-at-\\d+)\\.csv"$', example: 'attachment; filename="audit-access-2026-03-01-chain-intact-12.csv"' },
};

export const CHAIN_VERDICT_HEADER: HeaderObject = {
  required: true,
  description: 'The access-control hash chain\'s verdict, as `verification` in the JSON: `intact; events=N; head=HASH`, or `broken; revision=N` '
    + '(where it breaks; the reason is in the JSON and GET /audit/verify?stream=access-control). Sent with the CSV too, whose rows are the entries only '
    + '(its file name carries the verdict as well: see Content-Disposition).',
  schema: { type: 'string', pattern: '^(intact; events=\\d+; head=[0-9a-f]{64}|broken; revision=\\d+)$', example: `intact; events=12; head=${'0'.repeat(64)}` },
};
