import { Injectable } from '@nestjs/common';
import { KeyedTurns } from '@app/event-sourcing';

/**
 * One survey decision at a time per subject, in this process. A work order's surveys live on two
 * streams — the older per-order survey on the order's own stream, the survey aggregate's on its
 * numbered streams — so "one open survey per work order" read from the other stream and wrote to its
 * own, and two sends through the two routes at one moment could both pass. Taking turns per subject
 * closes that for every API on one process (the embedded default); API instances side by side still
 * need one stream both write (docs/adr/0012, "One open survey across both routes").
 */
@Injectable()
export class SurveySubjectLocks {
  private readonly turns = new KeyedTurns();

  inTurn<T>(subject: { readonly kind: string; readonly id: string }, work: () => Promise<T>): Promise<T> {
    return this.turns.inTurn(`${subject.kind}\n${subject.id}`, work);
  }
}
