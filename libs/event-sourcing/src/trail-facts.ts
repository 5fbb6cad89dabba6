/** The parts of a recorded event a decision trail shows. */
export interface TrailSource {
  readonly stream: string;
  readonly revision: number;
  readonly position: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * What every trail shows of a decision, whatever its aggregate: where it is in the log, who took it,
 * when and why, the ids that tie it to its command and its cause, and its hash. A trail adds the
 * decision's words, its policy, its cause and its facts.
 */
export function trailFacts(event: TrailSource) {
  const metadata = event.metadata;
  return {
    stream: event.stream, revision: event.revision, position: event.position, type: event.type,
    actor: metadata['actor'], reason: typeof metadata['reason'] === 'string' ? metadata['reason'] : null,
    occurredAt: metadata['occurredAt'], recordedAt: event.recordedAt,
    commandId: metadata['commandId'], correlationId: metadata['correlationId'], causationId: metadata['causationId'], hash: metadata['hash'],
  };
}
