import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IllegalTransitionError, complaintInScope, departmentOf, type ComplaintCommand, type ComplaintState, type RelateComplaint } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import type { RecordedEvent } from '@app/event-store';
import { CommandIdReusedError, outcomeOfRequest, type CommandContext, type CommandOutcome } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { ComplaintRepository, type LoadedComplaint } from '../../complaint-repository';
import type { WithoutContext } from '../../stream-command-executor';

export class RelateComplaintCommand {
  constructor(
    readonly complaintId: string,
    readonly data: Omit<RelateComplaint['data'], 'target'>,
    readonly context: CommandContext,
  ) {}
}

/** Namespace of the command ids of the original's side of a link: a retry of the request sends the same ones. */
const ORIGINAL_SIDE_NAMESPACE = '6f1d2c3b-8a9e-4b7c-9d0e-1f2a3b4c5d6e';
/**
 * Namespace of the command ids of the compensating events an older version wrote when the second of
 * its two appends was refused: no longer written, still recognised in the logs that hold them.
 */
export const WITHDRAWAL_NAMESPACE = 'a4c3b2d1-7e6f-4a5b-8c9d-0e1f2a3b4c5d';
/** Links followed from a duplicate to its original at most; duplicates are one level deep, so more means a damaged log, never a loop forever. */
const MAX_LINKS_FOLLOWED = 8;

/**
 * A link to another complaint. The handler reads that one (as the caller may see it: another
 * department's complaint is "none", so nothing leaks) and hands the decider what it found.
 *
 * A duplicate-of link is written on both complaints (docs/adr/0013, "Duplicates"): ComplaintRelated
 * on the duplicate, ComplaintDuplicateLinked on the original, decided each on its own stream (the
 * duplicate's first, so its refusal is the answer) and appended in one atomic append to both
 * streams, each at the revision its decision read. A related link has the original forget a
 * duplicate-of link it replaces (ComplaintDuplicateUnlinked), decided and appended the same way. A refusal of either side, or a third request that
 * changed either complaint in between (decided again, then refused), writes nothing on both; a crash
 * leaves both sides or neither. Two markings that cross (A → B and B → A, or any that would make a
 * chain or a cycle) cannot both be appended: the second one's expected revision no longer holds.
 * The original's command id derives from the request's, so a retry with the same Idempotency-Key is
 * answered as the first time; a key whose record is on one side only while the other would be
 * written is refused as reused (StreamCommandExecutor, sidesOfOneFact).
 */
@CommandHandler(RelateComplaintCommand)
export class RelateComplaintHandler implements ICommandHandler<RelateComplaintCommand, CommandOutcome> {
  constructor(
    private readonly executor: ComplaintCommandExecutor,
    private readonly complaints: ComplaintRepository,
  ) {}

  async execute({ complaintId, data, context }: RelateComplaintCommand): Promise<CommandOutcome> {
    const [source, related] = await Promise.all([this.complaints.load(complaintId), this.complaints.load(data.relatedId)]);
    const visible = related.state.status !== 'none' && inScope(related.state, context);
    const target = visible ? { duplicateOf: await this.originalOf(related.state) } : null;
    const command = { type: 'RelateComplaint' as const, complaintId, data: { ...data, target } };
    this.refuseWithdrawn(source, related, context);
    const originalSide = this.originalSideContext(context);
    const steps: Array<{ command: WithoutContext<ComplaintCommand>; context: CommandContext }> = [{ command, context }];
    if (data.relation === 'duplicate-of') {
      steps.push({ command: { type: 'LinkDuplicate', complaintId: data.relatedId, data: { duplicateId: complaintId, reason: data.reason } }, context: originalSide });
    } else {
      // Its link is no longer duplicate-of: the original forgets it. Whether it lists it is read in the turn (unlinkDuplicate
      // records nothing when it does not), so a marking that lands after the reads above is taken off too.
      steps.push({ command: { type: 'UnlinkDuplicate', complaintId: data.relatedId, data: { duplicateId: complaintId, reason: data.reason } }, context: originalSide });
    }
    return outcomeOfRequest(await this.executor.executeTogether(steps, {
      sidesOfOneFact: true,
      refuseRecordOfAnotherRequest: refuseKeyOfAnotherRequest((earlier) => earlier.type === 'ComplaintRelated' && earlier.data['relatedId'] === data.relatedId && earlier.data['relation'] === data.relation),
    }));
  }

  /**
   * A request whose marking an older version took back (the other side refused it between its two
   * appends) was answered with that refusal: the same Idempotency-Key answers it again — the
   * executor would otherwise find the key's events and report them as done, on one side only. A new
   * key decides anew. Only logs written before the atomic append hold such a withdrawal.
   */
  private refuseWithdrawn(source: LoadedComplaint, related: LoadedComplaint, context: CommandContext): void {
    const withdrawal = deterministicUuid(WITHDRAWAL_NAMESPACE, context.commandId);
    const withdrawn = [...source.events, ...related.events].find((recorded) => recorded.metadata['commandId'] === withdrawal);
    if (withdrawn === undefined) return;
    const why = String(withdrawn.data['reason'] ?? '').replace(/^withdrawn: /, '');
    throw new IllegalTransitionError('marking-withdrawn', 'RelateComplaint', source.state.status,
      `This request was refused, and what it had written taken back: ${why} Send it with a new Idempotency-Key to decide again.`);
  }

  /** The context of the original's side: its own command id (derived, so a retry repeats it), caused by the request; If-Match pins the request's complaint only. */
  private originalSideContext(context: CommandContext): CommandContext {
    const { expectedRevision: _pinnedOnTheRequestsComplaint, ...rest } = context;
    return { ...rest, commandId: deterministicUuid(ORIGINAL_SIDE_NAMESPACE, context.commandId), causationId: context.commandId };
  }

  /** The original a duplicate points to, following links (one, unless the log is damaged); null when the complaint is no duplicate. */
  private async originalOf(state: ComplaintState): Promise<string | null> {
    let current = state;
    let original: string | null = null;
    for (let followed = 0; followed < MAX_LINKS_FOLLOWED && current.status !== 'none'; followed += 1) {
      const next = current.related.find((link) => link.relation === 'duplicate-of')?.complaintId;
      if (next === undefined || next === original) break;
      original = next;
      current = (await this.complaints.load(next)).state;
    }
    return original;
  }
}

/**
 * The same key with another request (its stored answer expired, or another process's request under
 * the key landing between this one's reads and its append): what the key recorded on the request's
 * complaint is not this request, and the executor would answer as if it were — while writing the
 * other side of the link. Refused as reused (422), nothing written. Checked in the turn of every
 * attempt (PartsOptions.refuseRecordOfAnotherRequest).
 */
export function refuseKeyOfAnotherRequest(isThisRequest: (earlier: RecordedEvent) => boolean): (records: readonly RecordedEvent[]) => void {
  return ([earlier]) => {
    if (earlier && !isThisRequest(earlier)) throw new CommandIdReusedError();
  };
}

function inScope(state: Exclude<ComplaintState, { status: 'none' }>, context: CommandContext): boolean {
  return context.scope === undefined || complaintInScope({ receivedBy: state.receivedBy, department: departmentOf(state) }, context.actor.id, context.scope);
}
