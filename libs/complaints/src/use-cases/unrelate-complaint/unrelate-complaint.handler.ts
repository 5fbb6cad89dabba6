import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { UnrelateComplaint } from '@app/domain';
import { deterministicUuid } from '@app/event-sourcing';
import { outcomeOfRequest, type CommandContext, type CommandOutcome } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { refuseKeyOfAnotherRequest } from '../relate-complaint/relate-complaint.handler';
import { ComplaintCommandMessage } from '../complaint-command.base';

/** Namespace of the command id of the original's side of a removed duplicate-of link: a retry of the request sends the same one. */
const ORIGINAL_SIDE_NAMESPACE = '0b9e8d7c-6f5a-4e3d-9c2b-1a0f9e8d7c6b';

/**
 * Removes a link. The link is this complaint's: the other complaint need not be visible to the
 * caller (a link stays removable when that one moved out of the caller's departments). A removed
 * duplicate-of link is also taken off the original's list of duplicates (ComplaintDuplicateUnlinked,
 * docs/adr/0013, "Duplicates"), as bookkeeping of the removal rather than a decision of the caller
 * about that complaint, in one atomic append to both streams: both sides or neither. Whether the
 * original lists it is read in the turn on both streams, so a marking that lands after the request
 * is sent is taken off too. A retry finds an older log's half-done removal (a crash between the two
 * appends an older version made) and completes it; a key whose record is on one side only while the
 * other would be written is refused as reused (StreamCommandExecutor, sidesOfOneFact).
 */
export class UnrelateComplaintCommand extends ComplaintCommandMessage<UnrelateComplaint> {
  readonly type = 'UnrelateComplaint';
}

@CommandHandler(UnrelateComplaintCommand)
export class UnrelateComplaintHandler implements ICommandHandler<UnrelateComplaintCommand, CommandOutcome> {
  constructor(
    private readonly executor: ComplaintCommandExecutor,
  ) {}

  async execute({ id, data, context }: UnrelateComplaintCommand): Promise<CommandOutcome> {
    // The link's own side first, so its refusal (not linked) is the answer; unlinkDuplicate records nothing when the original does not list it.
    return outcomeOfRequest(await this.executor.executeTogether([
      { command: { type: 'UnrelateComplaint', complaintId: id, data }, context },
      { command: { type: 'UnlinkDuplicate', complaintId: data.relatedId, data: { duplicateId: id, reason: data.reason } }, context: originalSide(context) },
    ], { sidesOfOneFact: true, refuseRecordOfAnotherRequest: refuseKeyOfAnotherRequest((earlier) => earlier.type === 'ComplaintUnrelated' && earlier.data['relatedId'] === data.relatedId) }));
  }
}

/** The original's side's context: its own command id (derived, so a retry repeats it), caused by the request, not pinned by its If-Match nor narrowed by its departments. */
function originalSide(context: CommandContext): CommandContext {
  const { expectedRevision: _pinnedOnTheRequestsComplaint, scope: _theLinkIsTheRequestsComplaints, ...rest } = context;
  return { ...rest, commandId: deterministicUuid(ORIGINAL_SIDE_NAMESPACE, context.commandId), causationId: context.commandId };
}
