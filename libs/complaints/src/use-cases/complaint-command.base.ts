import { Injectable, Optional } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { ComplaintCommand } from '@app/domain';
import type { CommandContext, CommandOutcome } from '../command-context';
import { AssigneeFence, type DutyHolder } from '../ports';
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

/**
 * A command that gives the complaint to someone: the agent or engineer it names, when the directory found an active one
 * (the fence's key; undefined: nobody of the directory, nothing fenced).
 */
export abstract class PersonNamingCommandMessage<C extends ComplaintCommand> extends ComplaintCommandMessage<C> {
  constructor(id: string, data: C['data'], context: CommandContext, readonly holder?: DutyHolder) {
    super(id, data, context);
  }
}

/**
 * An assignment (to an agent or an engineer) or an escalation to a named agent: the complaint's event and the person's duty
 * (AssigneeFence) in one atomic append, so that a deactivation stored since the caller's directory check refuses it (docs/adr/0012).
 */
@Injectable()
export abstract class PersonNamingCommandHandler<M extends PersonNamingCommandMessage<ComplaintCommand>> implements ICommandHandler<PersonNamingCommandMessage<ComplaintCommand>, CommandOutcome> {
  constructor(private readonly executor: ComplaintCommandExecutor, @Optional() private readonly fence?: AssigneeFence) {}

  async execute({ type, id, data, context, holder }: M): Promise<CommandOutcome> {
    const command = { type, complaintId: id, data } as WithoutContext<ComplaintCommand>;
    if (holder === undefined || !this.fence) return this.executor.execute(command, context);
    const [outcome] = await this.executor.executeWith(command, context, [this.fence.takePart(holder, id, context)]);
    return outcome;
  }
}
