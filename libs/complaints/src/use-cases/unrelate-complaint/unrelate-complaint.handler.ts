import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { UnrelateComplaint } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import type { CommandContext, CommandOutcome } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { ComplaintRepository } from '../../complaint-repository';
import { ComplaintCommandMessage } from '../complaint-command.base';

/** Namespace of the command id of the original's side of a removed duplicate-of link: a retry of the request sends the same one. */
const ORIGINAL_SIDE_NAMESPACE = '0b9e8d7c-6f5a-4e3d-9c2b-1a0f9e8d7c6b';

/**
 * Removes a link. The link is this complaint's: the other complaint need not be visible to the
 * caller (a link stays removable when that one moved out of the caller's departments). A removed
 * duplicate-of link is also taken off the original's list of duplicates (ComplaintDuplicateUnlinked,
 * docs/adr/0013, "Duplicates"), as bookkeeping of the removal rather than a decision of the caller
 * about that complaint; a retry after a crash between the two appends completes it.
 */
export class UnrelateComplaintCommand extends ComplaintCommandMessage<UnrelateComplaint> {
  readonly type = 'UnrelateComplaint';
}

@CommandHandler(UnrelateComplaintCommand)
export class UnrelateComplaintHandler implements ICommandHandler<UnrelateComplaintCommand, CommandOutcome> {
  constructor(
    private readonly executor: ComplaintCommandExecutor,
    private readonly complaints: ComplaintRepository,
  ) {}

  async execute({ id, data, context }: UnrelateComplaintCommand): Promise<CommandOutcome> {
    const outcome = await this.executor.execute({ type: 'UnrelateComplaint', complaintId: id, data }, context);
    const [self, original] = await Promise.all([this.complaints.load(id), this.complaints.load(data.relatedId)]);
    const stillDuplicate = self.state.status !== 'none' && self.state.related.some((link) => link.complaintId === data.relatedId && link.relation === 'duplicate-of');
    const listed = original.state.status !== 'none' && original.state.duplicates.some((each) => each.complaintId === id);
    if (stillDuplicate || !listed) return outcome;
    const unlinked = await this.executor.execute(
      { type: 'UnlinkDuplicate', complaintId: data.relatedId, data: { duplicateId: id, reason: data.reason } },
      originalSide(context),
    );
    return { ...outcome, position: Math.max(outcome.position, unlinked.position) };
  }
}

/** The follow-up's context: its own command id (derived, so a retry repeats it), caused by the request, not pinned by its If-Match nor narrowed by its departments. */
function originalSide(context: CommandContext): CommandContext {
  const { expectedRevision: _pinnedOnTheRequestsComplaint, scope: _theLinkIsTheRequestsComplaints, ...rest } = context;
  return { ...rest, commandId: deterministicUuid(ORIGINAL_SIDE_NAMESPACE, context.commandId), causationId: context.commandId };
}
