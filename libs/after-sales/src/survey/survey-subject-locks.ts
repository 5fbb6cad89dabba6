import { Injectable, Optional } from '@nestjs/common';
import { SharedTurns, TurnLeases } from '@app/event-sourcing';
import { SurveySubjectChangedError } from '@app/domain';
import { decidedAgainOnFence } from '../fence-part';

/** How many times a send is decided on fresh facts when the order's surveys stream moved under it, before 409. */
const FENCE_ATTEMPTS = 3;

/**
 * One survey decision at a time per subject. A work order's surveys live on two streams — the older
 * per-order survey on the order's own stream, the survey aggregate's on its numbered streams — so
 * "one open survey per work order" read from the other stream and wrote to its own, and two sends
 * through the two routes at one moment could both pass. Taking turns per subject closes that; the
 * turn holds across API instances on the same stores when the app provides TurnLeases (the read
 * store's leases, `survey-subject-turn:<kind>:<id>`; docs/adr/0012, "One open survey across both
 * routes"), and within this process only without them. The lease is no fence (an instance frozen past
 * it still appends): the order's surveys stream is (SurveySubjectCommandExecutor), which both routes
 * append to at the revision read before their facts; when it refuses a send, the send is decided again
 * on fresh facts (then refused as a second open survey, 409 survey-already-open).
 */
@Injectable()
export class SurveySubjectLocks {
  private readonly turns: SharedTurns;

  constructor(@Optional() leases?: TurnLeases) {
    this.turns = new SharedTurns(leases, 'survey-subject-turn');
  }

  inTurn<T>(subject: { readonly kind: string; readonly id: string }, work: () => Promise<T>): Promise<T> {
    return this.turns.inTurn(`${subject.kind}:${subject.id}`, () => decidedAgainOnFence(FENCE_ATTEMPTS, (error) => error instanceof SurveySubjectChangedError, work));
  }
}
