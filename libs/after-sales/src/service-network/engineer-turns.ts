import { Injectable, Optional } from '@nestjs/common';
import { SharedTurns, TurnLeases } from '@app/event-sourcing';
import { EngineerStoodDownError, normaliseDirectoryName } from '@app/domain';
import { decidedAgainOnFence } from '../fence-part';

/**
 * One dispatch-like decision at a time per engineer, and an engineer's deactivation in the same turn.
 * A dispatch checks the engineer against the service network, then appends to the order's stream:
 * two streams, so a deactivation stored between the check and the append let the dispatch through
 * (answered 200 after the deactivation) and the deactivation's `openWorkOrders` missed it. Taking
 * turns per engineer makes each dispatch land wholly before the deactivation (listed in its answer)
 * or wholly after it (refused). Ids are keyed as the directory tells them apart (case and width
 * aside). The turn holds across API instances on the same stores when the app provides TurnLeases
 * (the read store's leases, `engineer-turn:<id>`; docs/adr/0012, "A dispatch and a deactivation at
 * one moment"); without them, within this process only. The lease is no fence (an instance frozen past
 * it still appends): the engineer's duty stream is (EngineerDutyCommandExecutor), appended with the
 * order's events; when it refuses a decision taken before a deactivation stored since, the work runs
 * once more on the network as it now stands, so the answer is the ordinary refusal (400
 * engineer-inactive for a dispatch, 409 engineer-no-longer-active for a reopen).
 */
@Injectable()
export class EngineerTurns {
  private readonly turns: SharedTurns;

  constructor(@Optional() leases?: TurnLeases) {
    this.turns = new SharedTurns(leases, 'engineer-turn');
  }

  inTurn<T>(engineerId: string, work: () => Promise<T>): Promise<T> {
    return this.turns.inTurn(normaliseDirectoryName(engineerId), () => decidedAgainOnFence(2, (error) => error instanceof EngineerStoodDownError, work));
  }
}
