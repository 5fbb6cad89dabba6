import { Injectable } from '@nestjs/common';
import { ComplaintNotFoundError, complaintInScope, complaintStreamName, decide, departmentOf, type ComplaintCommand } from '@app/domain';
import { chainHash, chainStart } from '@app/event-sourcing';
import { EventStore, WrongExpectedRevisionError, type RecordedEvent } from '@app/event-store';
import {
  ConcurrentModificationError, PreconditionFailedError, type CommandContext, type CommandOutcome,
} from './command-context';
import { chainedEvents, reasonOf } from './complaint-metadata';
import { ComplaintRepository } from './complaint-repository';
import { Clock } from './ports';

type CommandWithoutContext = ComplaintCommand extends infer C ? (C extends ComplaintCommand ? Omit<C, 'at' | 'actor'> : never) : never;

/** Another process got in first this many times in a row: give up with 409 rather than spin. */
const MAX_ATTEMPTS = 20;

/**
 * Handles one complaint command: read + fold, decide, append with the stream's revision as the
 * expected revision. When another writer got in between (and the caller did not pin a revision
 * with If-Match) the decision is taken again on the fresh state, never blindly re-appended.
 */
@Injectable()
export class ComplaintCommandExecutor {
  constructor(
    private readonly eventStore: EventStore,
    private readonly repository: ComplaintRepository,
    private readonly clock: Clock,
  ) {}

  /** The tail of the queue of commands per complaint in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  /**
   * Commands on one complaint run one after the other in this process, so they never race each
   * other into a conflict; the expected-revision check (and its retries) still guards against
   * other processes.
   */
  execute(command: CommandWithoutContext, context: CommandContext): Promise<CommandOutcome> {
    const key = command.complaintId;
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(() => this.decideAndAppend(command, context), () => this.decideAndAppend(command, context));
    const tail = run.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return run;
  }

  private async decideAndAppend(command: CommandWithoutContext, context: CommandContext): Promise<CommandOutcome> {
    const stream = complaintStreamName(command.complaintId);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const { state, revision, events: history } = await this.repository.load(command.complaintId);
      if (state.status !== 'none' && context.scope !== undefined && !complaintInScope({ receivedBy: state.receivedBy, department: departmentOf(state) }, context.actor.id, context.scope)) {
        throw new ComplaintNotFoundError(command.complaintId);
      }
      // The same command seen again (a retry after a lost response): answer as the first time.
      const earlier = history.filter((recorded) => recorded.metadata['commandId'] === context.commandId);
      if (earlier.length > 0) {
        const last = earlier[earlier.length - 1]!;
        return { id: command.complaintId, revision: last.revision, position: last.position };
      }
      if (context.expectedRevision !== undefined && context.expectedRevision !== revision) {
        throw new PreconditionFailedError(command.complaintId, context.expectedRevision, revision < 0 ? null : revision);
      }
      const at = this.clock.now().toISOString();
      const events = decide({ ...command, at, actor: context.actor } as ComplaintCommand, state);
      const reason = reasonOf(command.data);
      const { events: toAppend } = chainedEvents(events, {
        commandId: context.commandId, commandType: command.type, correlationId: context.correlationId, causationId: context.causationId,
        actor: context.actor, ...(reason === undefined ? {} : { reason }), occurredAt: at,
      }, headHash(stream, history));
      try {
        const result = await this.eventStore.append(stream, toAppend, { expectedRevision: revision < 0 ? 'no_stream' : revision });
        return { id: command.complaintId, revision: result.nextRevision, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (context.expectedRevision !== undefined) {
          throw new PreconditionFailedError(command.complaintId, context.expectedRevision, typeof error.actual === 'number' ? error.actual : null);
        }
        // A little jittered wait, so two processes that keep colliding drift apart.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));
      }
    }
    throw new ConcurrentModificationError(command.complaintId);
  }
}

/** Hash of the stream's last event: where the next event's link starts. */
function headHash(stream: string, history: readonly RecordedEvent[]): string {
  const last = history[history.length - 1];
  if (!last) return chainStart(stream);
  const stored = last.metadata['hash'];
  if (typeof stored === 'string') return stored;
  // History written before the chain existed: chain it as it stands.
  return history.reduce((previous, event) => chainHash(previous, event), chainStart(stream));
}
