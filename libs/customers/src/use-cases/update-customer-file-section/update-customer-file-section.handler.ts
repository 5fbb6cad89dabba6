import { CommandHandler } from '@nestjs/cqrs';
import type {
  UpdateCustomerBasics, UpdateCustomerConsumptionProfile, UpdateCustomerContract, UpdateCustomerFacilities, UpdateCustomerImportance,
  UpdateCustomerOtherChannels, UpdateCustomerSegments,
} from '@app/domain';
import { CustomerFileCommandHandler, CustomerFileCommandMessage } from '../customer-file-command.base';

/*
 * One use case, seven sections: a partial update with a reason, recording only what changed and
 * refusing an update that changes nothing (nothing-changed, 409). Each section is a command of its
 * own, so that the audit trail and the roles can tell them apart.
 */

export class UpdateCustomerBasicsCommand extends CustomerFileCommandMessage<UpdateCustomerBasics> {
  readonly type = 'UpdateCustomerBasics';
}
@CommandHandler(UpdateCustomerBasicsCommand)
export class UpdateCustomerBasicsHandler extends CustomerFileCommandHandler<UpdateCustomerBasicsCommand> {}

export class UpdateCustomerConsumptionProfileCommand extends CustomerFileCommandMessage<UpdateCustomerConsumptionProfile> {
  readonly type = 'UpdateCustomerConsumptionProfile';
}
@CommandHandler(UpdateCustomerConsumptionProfileCommand)
export class UpdateCustomerConsumptionProfileHandler extends CustomerFileCommandHandler<UpdateCustomerConsumptionProfileCommand> {}

export class UpdateCustomerContractCommand extends CustomerFileCommandMessage<UpdateCustomerContract> {
  readonly type = 'UpdateCustomerContract';
}
@CommandHandler(UpdateCustomerContractCommand)
export class UpdateCustomerContractHandler extends CustomerFileCommandHandler<UpdateCustomerContractCommand> {}

export class UpdateCustomerFacilitiesCommand extends CustomerFileCommandMessage<UpdateCustomerFacilities> {
  readonly type = 'UpdateCustomerFacilities';
}
@CommandHandler(UpdateCustomerFacilitiesCommand)
export class UpdateCustomerFacilitiesHandler extends CustomerFileCommandHandler<UpdateCustomerFacilitiesCommand> {}

export class UpdateCustomerOtherChannelsCommand extends CustomerFileCommandMessage<UpdateCustomerOtherChannels> {
  readonly type = 'UpdateCustomerOtherChannels';
}
@CommandHandler(UpdateCustomerOtherChannelsCommand)
export class UpdateCustomerOtherChannelsHandler extends CustomerFileCommandHandler<UpdateCustomerOtherChannelsCommand> {}

export class UpdateCustomerImportanceCommand extends CustomerFileCommandMessage<UpdateCustomerImportance> {
  readonly type = 'UpdateCustomerImportance';
}
@CommandHandler(UpdateCustomerImportanceCommand)
export class UpdateCustomerImportanceHandler extends CustomerFileCommandHandler<UpdateCustomerImportanceCommand> {}

export class UpdateCustomerSegmentsCommand extends CustomerFileCommandMessage<UpdateCustomerSegments> {
  readonly type = 'UpdateCustomerSegments';
}
@CommandHandler(UpdateCustomerSegmentsCommand)
export class UpdateCustomerSegmentsHandler extends CustomerFileCommandHandler<UpdateCustomerSegmentsCommand> {}
