import type { ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext, CommandOutcome } from '../command-context';
import type { AggregateCommandExecutor, WithoutContext } from '../stream-command-executor';

interface DomainCommand {
  readonly type: string;
  readonly data: object;
}

/** A command from a front-end about one aggregate (a complaint, a work order, a product …): its id, its body, its context. */
export abstract class AggregateCommandMessage<C extends DomainCommand> {
  abstract readonly type: C['type'];
  constructor(
    readonly id: string,
    readonly data: C['data'],
    readonly context: CommandContext,
  ) {}
}

/**
 * Most commands need nothing looked up: the message becomes the domain command (commandOf puts the
 * id where the aggregate's commands keep it) and the aggregate's executor reads, folds, decides and
 * appends. A subclass per aggregate injects its executor, so its own handlers are one line each.
 */
export abstract class AggregateCommandHandler<M extends AggregateCommandMessage<C>, C extends DomainCommand> implements ICommandHandler<AggregateCommandMessage<DomainCommand>, CommandOutcome> {
  protected constructor(
    private readonly executor: AggregateCommandExecutor<C, DomainCommand, unknown>,
    private readonly commandOf: (type: C['type'], id: string, data: C['data']) => WithoutContext<C>,
  ) {}

  execute({ type, id, data, context }: M): Promise<CommandOutcome> {
    return this.executor.execute(this.commandOf(type, id, data), context);
  }
}
