import { CommandHandler } from '@nestjs/cqrs';
import type { SetNotificationOptOut } from '@app/domain';
import { CustomerFileCommandHandler, CustomerFileCommandMessage } from '../customer-file-command.base';

/** The customer opts out of the desk's notifications (by a channel or all), or back in (docs/adr/0017). */
export class SetNotificationOptOutCommand extends CustomerFileCommandMessage<SetNotificationOptOut> {
  readonly type = 'SetNotificationOptOut';
}

@CommandHandler(SetNotificationOptOutCommand)
export class SetNotificationOptOutHandler extends CustomerFileCommandHandler<SetNotificationOptOutCommand> {}
