/**
 * An operator's acknowledgement of what the tamper evidence found (docs/adr/0010): recorded in its
 * own hash-chained stream, with who and why in the metadata, and each finding in words.
 */
export const LOG_SEALS_STREAM = 'log-seals';

export interface TamperFindingsAcknowledged {
  readonly type: 'TamperFindingsAcknowledged';
  readonly data: {
    readonly acknowledgedAt: string;
    readonly findings: ReadonlyArray<{ readonly id: string; readonly kind: string; readonly description: string }>;
    /** Token ids whose revocation a seal proved and that were revoked again. */
    readonly reappliedRevocations: readonly string[];
  };
}

export const TAMPER_EVENT_TYPES: ReadonlySet<string> = new Set(['TamperFindingsAcknowledged']);

/** The acknowledgement in plain words (zh-CN and en), for the audit trail. */
export function tamperDecisionWords(event: TamperFindingsAcknowledged): { readonly 'zh-CN': string; readonly en: string } {
  const { findings, reappliedRevocations } = event.data;
  return {
    'zh-CN': `确认 ${findings.length} 项篡改发现，重新撤销 ${reappliedRevocations.length} 个令牌`,
    en: `Acknowledged ${findings.length} tamper finding(s) and revoked ${reappliedRevocations.length} token(s) again`,
  };
}
