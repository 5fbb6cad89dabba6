import { Injectable, Optional } from '@nestjs/common';
import { SharedTurns, TurnLeases } from '@app/event-sourcing';

/**
 * One survey decision at a time per subject. A work order's surveys live on two streams — the older
 * per-order survey on the order's own stream, the survey aggregate's on its numbered streams — so
 * "one open survey per work order" read from the other stream and wrote to its own, and two sends
 * through the two routes at one moment could both pass. Taking turns per subject closes that; the
 * turn holds across API instances on the same stores when the app provides TurnLeases (the read
 * store's leases, `survey-subject-turn:<kind>:<id>`; docs/adr/0012, "One open survey across both
 * routes"), and within this process only without them.
 */
@Injectable()
export class SurveySubjectLocks {
  private readonly turns: SharedTurns;

  constructor(@Optional() leases?: TurnLeases) {
    this.turns = new SharedTurns(leases, 'survey-subject-turn');
  }

  inTurn<T>(subject: { readonly kind: string; readonly id: string }, work: () => Promise<T>): Promise<T> {
    return this.turns.inTurn(`${subject.kind}:${subject.id}`, work);
  }
}
