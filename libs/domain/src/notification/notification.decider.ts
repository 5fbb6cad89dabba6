import type { Decider } from '@app/event-sourcing';
import { assertNever } from '../assert-never';
import type { NotificationEvent, NotificationFacts, NotificationSkipReason } from './notification.events';

/** The outcome of one send, as the sender reports it. */
export type NotificationOutcome =
  | { readonly kind: 'sent'; readonly subject: string | null; readonly text: string; readonly messageId: string | null }
  | { readonly kind: 'skipped'; readonly reason: NotificationSkipReason }
  | { readonly kind: 'failed'; readonly attempts: number; readonly error: string };

export interface RecordNotification {
  readonly type: 'RecordNotification';
  readonly data: Omit<NotificationFacts, 'by'> & { readonly outcome: NotificationOutcome };
  readonly at: string;
  readonly actor: NotificationFacts['by'];
}
export type NotificationCommand = RecordNotification;

/** The sends of one complaint already recorded: each is recorded once, whatever its outcome. */
export interface NotificationState {
  readonly settled: ReadonlySet<string>;
}

/** A send that is already on the stream (a sender that crashed after recording it and sends again). */
export class NotificationAlreadyRecordedError extends Error {
  readonly code = 'notification-already-recorded';
  constructor(readonly notificationId: string) {
    super(`The notification ${notificationId} is already recorded.`);
  }
}

export function decideNotification(command: NotificationCommand, state: NotificationState): NotificationEvent[] {
  switch (command.type) {
    case 'RecordNotification': {
      const { outcome, ...facts } = command.data;
      if (state.settled.has(facts.notificationId)) throw new NotificationAlreadyRecordedError(facts.notificationId);
      const base = { ...facts, to: [...facts.to], by: command.actor };
      switch (outcome.kind) {
        case 'sent':
          return [{ type: 'NotificationSent', data: { ...base, sentAt: command.at, subject: outcome.subject, text: outcome.text, messageId: outcome.messageId } }];
        case 'skipped':
          return [{ type: 'NotificationSkipped', data: { ...base, skippedAt: command.at, reason: outcome.reason } }];
        case 'failed':
          return [{ type: 'NotificationFailed', data: { ...base, failedAt: command.at, attempts: outcome.attempts, error: outcome.error } }];
        default:
          return assertNever(outcome);
      }
    }
    default:
      return assertNever(command.type);
  }
}

export function evolveNotification(state: NotificationState, event: NotificationEvent): NotificationState {
  return { settled: new Set([...state.settled, event.data.notificationId]) };
}

export const notificationDecider: Decider<NotificationCommand, NotificationEvent, NotificationState> = {
  decide: decideNotification,
  evolve: evolveNotification,
  initialState: { settled: new Set() },
};
