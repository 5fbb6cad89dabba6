import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  ComplaintDomainError, ComplaintNotFoundError, IllegalTransitionError, complaintInScope, decide, departmentOf, type ComplaintState, type RelateComplaint,
} from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { CommandIdReusedError, PreconditionFailedError, revisionMatches, type CommandContext, type CommandOutcome } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { ComplaintRepository, type LoadedComplaint } from '../../complaint-repository';
import { Clock } from '../../ports';

export class RelateComplaintCommand {
  constructor(
    readonly complaintId: string,
    readonly data: Omit<RelateComplaint['data'], 'target'>,
    readonly context: CommandContext,
  ) {}
}

/** Namespaces of the command ids of the original's side of a link and of a withdrawal: a retry of the request sends the same ones. */
const ORIGINAL_SIDE_NAMESPACE = '6f1d2c3b-8a9e-4b7c-9d0e-1f2a3b4c5d6e';
const WITHDRAWAL_NAMESPACE = 'a4c3b2d1-7e6f-4a5b-8c9d-0e1f2a3b4c5d';
/** Links followed from a duplicate to its original at most; duplicates are one level deep, so more means a damaged log, never a loop forever. */
const MAX_LINKS_FOLLOWED = 8;

/**
 * A link to another complaint. The handler reads that one (as the caller may see it: another
 * department's complaint is "none", so nothing leaks) and hands the decider what it found.
 *
 * A duplicate-of link is written on both complaints (docs/adr/0013, "Duplicates"): ComplaintRelated
 * on the duplicate, ComplaintDuplicateLinked on the original, each at the revision its decision read.
 * The two appends go in one order for every request, the lower complaint id first: two markings
 * that cross (A → B and B → A, or any two that would make a chain or a cycle through one complaint)
 * both start on that complaint's stream, the store takes one, and the other is decided again on what
 * was taken and refused — before it wrote anything. The second append's command id derives from the
 * request's, so a retry with the same Idempotency-Key after a crash between the two completes it.
 */
@CommandHandler(RelateComplaintCommand)
export class RelateComplaintHandler implements ICommandHandler<RelateComplaintCommand, CommandOutcome> {
  constructor(
    private readonly executor: ComplaintCommandExecutor,
    private readonly complaints: ComplaintRepository,
    private readonly clock: Clock,
  ) {}

  async execute({ complaintId, data, context }: RelateComplaintCommand): Promise<CommandOutcome> {
    const [source, related] = await Promise.all([this.complaints.load(complaintId), this.complaints.load(data.relatedId)]);
    const visible = related.state.status !== 'none' && inScope(related.state, context);
    const target = visible ? { duplicateOf: await this.originalOf(related.state) } : null;
    const command = { type: 'RelateComplaint' as const, complaintId, data: { ...data, target } };
    this.refuseWithdrawn(source, related, context);
    const earlier = source.events.find((recorded) => recorded.metadata['commandId'] === context.commandId);
    // The same key with another request: what the key recorded is not this (the executor would answer as if it were).
    if (earlier && !(earlier.type === 'ComplaintRelated' && earlier.data['relatedId'] === data.relatedId && earlier.data['relation'] === data.relation)) throw new CommandIdReusedError();
    const retry = earlier !== undefined;
    // Checked before the first append, which may be the original's: a refusal then writes nothing on either complaint.
    if (!retry) this.check(source, command, context);
    const before = source.state.status === 'none' ? undefined : source.state.related.find((link) => link.complaintId === data.relatedId)?.relation;
    const originalSide = this.originalSideContext(context, ORIGINAL_SIDE_NAMESPACE);
    if (data.relation === 'related') {
      const outcome = await this.executor.execute(command, context);
      // Its link is no longer duplicate-of: the original forgets it (also on a retry that finds the link changed already).
      const listed = related.state.status !== 'none' && related.state.duplicates.some((each) => each.complaintId === complaintId);
      if (before !== 'duplicate-of' && !listed) return outcome;
      const unlinked = await this.executor.execute({ type: 'UnlinkDuplicate', complaintId: data.relatedId, data: { duplicateId: complaintId, reason: data.reason } }, originalSide);
      return { ...outcome, position: Math.max(outcome.position, unlinked.position) };
    }
    const link = () => this.executor.execute({ type: 'LinkDuplicate', complaintId: data.relatedId, data: { duplicateId: complaintId, reason: data.reason } }, originalSide);
    if (complaintId < data.relatedId) {
      const outcome = await this.executor.execute(command, context);
      try {
        const linked = await link();
        return { ...outcome, position: Math.max(outcome.position, linked.position) };
      } catch (error) {
        // The original became a duplicate between the two appends (a third request): the marking is withdrawn, and the refusal stands.
        if (error instanceof ComplaintDomainError) await this.withdraw(complaintId, data.relatedId, error, context);
        throw error;
      }
    }
    const linked = await link();
    try {
      const outcome = await this.executor.execute(command, context);
      return { ...outcome, position: Math.max(outcome.position, linked.position) };
    } catch (error) {
      if (error instanceof ComplaintDomainError || error instanceof PreconditionFailedError) {
        await this.executor.execute({ type: 'UnlinkDuplicate', complaintId: data.relatedId, data: { duplicateId: complaintId, reason: `withdrawn: ${error.message}` } },
          this.originalSideContext(context, WITHDRAWAL_NAMESPACE));
      }
      throw error;
    }
  }

  /**
   * A request whose marking was taken back (the other side refused it between the two appends) was
   * answered with that refusal: the same Idempotency-Key answers it again — the executor would
   * otherwise find the key's events and report them as done, on one side only. A new key decides anew.
   */
  private refuseWithdrawn(source: LoadedComplaint, related: LoadedComplaint, context: CommandContext): void {
    const withdrawal = deterministicUuid(WITHDRAWAL_NAMESPACE, context.commandId);
    const withdrawn = [...source.events, ...related.events].find((recorded) => recorded.metadata['commandId'] === withdrawal);
    if (withdrawn === undefined) return;
    const why = String(withdrawn.data['reason'] ?? '').replace(/^withdrawn: /, '');
    throw new IllegalTransitionError('marking-withdrawn', 'RelateComplaint', source.state.status,
      `This request was refused, and what it had written taken back: ${why} Send it with a new Idempotency-Key to decide again.`);
  }

  /** What the executor would refuse on the duplicate's side, refused first: access ("not found"), If-Match, then the decider's rules. */
  private check(source: LoadedComplaint, command: Omit<RelateComplaint, 'at' | 'actor'>, context: CommandContext): void {
    if (source.state.status !== 'none' && !inScope(source.state, context)) throw new ComplaintNotFoundError(command.complaintId);
    if (context.expectedRevision !== undefined && !revisionMatches(context.expectedRevision, source.revision < 0 ? null : source.revision)) {
      throw new PreconditionFailedError(command.complaintId, context.expectedRevision, source.revision < 0 ? null : source.revision);
    }
    decide({ ...command, at: this.clock.now().toISOString(), actor: context.actor }, source.state);
  }

  /** The duplicate's link changed back to related because the original turned out to be a duplicate meanwhile. */
  private async withdraw(complaintId: string, relatedId: string, refusal: Error, context: CommandContext): Promise<void> {
    await this.executor.execute(
      { type: 'RelateComplaint', complaintId, data: { relatedId, relation: 'related', reason: `withdrawn: ${refusal.message}`, target: { duplicateOf: null } } },
      { ...this.originalSideContext(context, WITHDRAWAL_NAMESPACE) },
    );
  }

  /** The context of a follow-up append: its own command id (derived, so a retry repeats it), caused by the request; If-Match pins the request's complaint only. */
  private originalSideContext(context: CommandContext, namespace: string): CommandContext {
    const { expectedRevision: _pinnedOnTheRequestsComplaint, ...rest } = context;
    return { ...rest, commandId: deterministicUuid(namespace, context.commandId), causationId: context.commandId };
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

function inScope(state: Exclude<ComplaintState, { status: 'none' }>, context: CommandContext): boolean {
  return context.scope === undefined || complaintInScope({ receivedBy: state.receivedBy, department: departmentOf(state) }, context.actor.id, context.scope);
}
