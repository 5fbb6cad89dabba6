import { Injectable, Optional } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { ComplaintCommand } from '@app/domain';
import type { CommandContext, CommandOutcome } from '../command-context';
import { AssigneeFence } from '../ports';
import { ComplaintCommandExecutor } from '../complaint-command.executor';
import type { WithoutContext } from '../stream-command-executor';
import { AggregateCommandHandler, AggregateCommandMessage } from './aggregate-command.base';

/** A command from a front-end about an existing complaint: its id, its body, its context. */
export abstract class ComplaintCommandMessage<C extends ComplaintCommand> extends AggregateCommandMessage<C> {}

/** Every lifecycle command is handled the same way: the executor does read, fold, decide, append. */
@Injectable()
export abstract class ComplaintCommandHandler<M extends ComplaintCommandMessage<ComplaintCommand>> extends AggregateCommandHandler<M, ComplaintCommand> {
  constructor(executor: ComplaintCommandExecutor) {
    super(executor, (type, complaintId, data) => ({ type, complaintId, data }) as WithoutContext<ComplaintCommand>);
  }
}

/** A command that gives the complaint to someone: the agent it names, when the directory found one (the fence's key; undefined: no agent, nothing fenced). */
export abstract class AgentNamingCommandMessage<C extends ComplaintCommand> extends ComplaintCommandMessage<C> {
  constructor(id: string, data: C['data'], context: CommandContext, readonly agentId?: string) {
    super(id, data, context);
  }
}

/**
 * An assignment or an escalation to a named agent: the complaint's event and the agent's duty (AssigneeFence) in one atomic
 * append, so that a deactivation stored since the caller's directory check refuses it (docs/adr/0012).
 */
@Injectable()
export abstract class AgentNamingCommandHandler<M extends AgentNamingCommandMessage<ComplaintCommand>> implements ICommandHandler<AgentNamingCommandMessage<ComplaintCommand>, CommandOutcome> {
  constructor(private readonly executor: ComplaintCommandExecutor, @Optional() private readonly fence?: AssigneeFence) {}

  async execute({ type, id, data, context, agentId }: M): Promise<CommandOutcome> {
    const command = { type, complaintId: id, data } as WithoutContext<ComplaintCommand>;
    if (agentId === undefined || !this.fence) return this.executor.execute(command, context);
    const [outcome] = await this.executor.executeWith(command, context, [this.fence.takePart(agentId, id, context)]);
    return outcome;
  }
}
