import { Injectable } from '@nestjs/common';
import { KeyedTurns } from '@app/event-sourcing';
import { normaliseDirectoryName } from '@app/domain';

/**
 * One dispatch-like decision at a time per engineer, in this process, and an engineer's deactivation
 * in the same turn. A dispatch checks the engineer against the service network, then appends to the
 * order's stream: two streams, so a deactivation stored between the check and the append let the
 * dispatch through (answered 200 after the deactivation) and the deactivation's `openWorkOrders`
 * missed it. Taking turns per engineer makes each dispatch land wholly before the deactivation
 * (listed in its answer) or wholly after it (refused). Ids are keyed as the directory tells them
 * apart (case and width aside). API instances side by side are not covered (docs/adr/0012, "A
 * dispatch and a deactivation at one moment").
 */
@Injectable()
export class EngineerTurns {
  private readonly turns = new KeyedTurns();

  inTurn<T>(engineerId: string, work: () => Promise<T>): Promise<T> {
    return this.turns.inTurn(normaliseDirectoryName(engineerId), work);
  }
}
