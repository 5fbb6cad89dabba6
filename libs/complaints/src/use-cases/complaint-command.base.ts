import { Injectable } from '@nestjs/common';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { ComplaintCommand } from '@app/domain';
import type { CommandContext, CommandOutcome } from '../command-context';
import { ComplaintCommandExecutor } from '../complaint-command.executor';

/** A command from a front-end about an existing complaint: its id, its body, its context. */
export abstract class ComplaintCommandMessage<C extends ComplaintCommand> {
  abstract readonly type: C['type'];
  constructor(
    readonly complaintId: string,
    readonly data: C['data'],
    readonly context: CommandContext,
  ) {}
}

/** Every lifecycle command is handled the same way: the executor does read, fold, decide, append. */
@Injectable()
export abstract class ComplaintCommandHandler<M extends ComplaintCommandMessage<ComplaintCommand>> implements ICommandHandler<ComplaintCommandMessage<ComplaintCommand>, CommandOutcome> {
  constructor(private readonly executor: ComplaintCommandExecutor) {}

  execute(message: M): Promise<CommandOutcome> {
    const { type, complaintId, data, context } = message;
    return this.executor.execute({ type, complaintId, data } as Parameters<ComplaintCommandExecutor['execute']>[0], context);
  }
}
