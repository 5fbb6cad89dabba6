import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { complaintInScope, departmentOf, type RelateComplaint } from '@app/domain';
import type { CommandContext, CommandOutcome } from '../../command-context';
import { ComplaintCommandExecutor } from '../../complaint-command.executor';
import { ComplaintRepository } from '../../complaint-repository';

export class RelateComplaintCommand {
  constructor(
    readonly complaintId: string,
    readonly data: Omit<RelateComplaint['data'], 'target'>,
    readonly context: CommandContext,
  ) {}
}

/**
 * A link to another complaint: the handler reads that one (as the caller may see it: another
 * department's complaint is "none", so nothing leaks) and hands the decider what it found.
 */
@CommandHandler(RelateComplaintCommand)
export class RelateComplaintHandler implements ICommandHandler<RelateComplaintCommand, CommandOutcome> {
  constructor(
    private readonly executor: ComplaintCommandExecutor,
    private readonly complaints: ComplaintRepository,
  ) {}

  async execute({ complaintId, data, context }: RelateComplaintCommand): Promise<CommandOutcome> {
    const { state } = await this.complaints.load(data.relatedId);
    const visible = state.status !== 'none'
      && (context.scope === undefined || complaintInScope({ receivedBy: state.receivedBy, department: departmentOf(state) }, context.actor.id, context.scope));
    const target = visible ? { duplicateOf: state.related.find((link) => link.relation === 'duplicate-of')?.complaintId ?? null } : null;
    return this.executor.execute({ type: 'RelateComplaint', complaintId, data: { ...data, target } }, context);
  }
}
