import { Injectable } from '@nestjs/common';
import type { ComplaintCommand } from '@app/domain';
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
