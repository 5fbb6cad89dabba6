import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CustomerFileAudit } from './audit/customer-file-audit';
import { RepairIntake } from '@app/after-sales';
import { ComplaintIntake } from '@app/complaints';
import { CustomerFileCommandExecutor } from './customer-file-command.executor';
import { CustomerFileRepository } from './customer-file-repository';
import { CustomerFileMergeQueue } from './merge-queue';
import { ConsumptionAlertPolicySource, FixedConsumptionAlertPolicySource } from './ports';
import { AddCustomerContactHandler } from './use-cases/add-customer-contact/add-customer-contact.handler';
import { ChangeCustomerContactHandler } from './use-cases/change-customer-contact/change-customer-contact.handler';
import { EraseCustomerPersonalDataHandler } from './use-cases/erase-customer-personal-data/erase-customer-personal-data.handler';
import { ErasureCompletion } from './use-cases/erase-customer-personal-data/erasure-completion';
import { GetCustomerFileHandler } from './use-cases/get-customer-file/get-customer-file.query';
import { LogCustomerVisitHandler } from './use-cases/log-customer-visit/log-customer-visit.handler';
import { CustomerFileMergeCompletion } from './use-cases/merge-customer-files/merge-completion';
import { MergeCustomerFilesHandler } from './use-cases/merge-customer-files/merge-customer-files.handler';
import { CustomerFileIntake } from './use-cases/open-customer-file-at-intake/customer-file-intake';
import { CustomerFileRepairIntake } from './use-cases/open-customer-file-at-intake/customer-file-repair-intake';
import { OpenCustomerFileHandler } from './use-cases/open-customer-file/open-customer-file.handler';
import { ReclassifyCustomerHandler } from './use-cases/reclassify-customer/reclassify-customer.handler';
import { SetNotificationOptOutHandler } from './use-cases/set-notification-opt-out/set-notification-opt-out.handler';
import { RecordCustomerConsumptionHandler } from './use-cases/record-customer-consumption/record-customer-consumption.handler';
import { RecordCustomerEvaluationHandler } from './use-cases/record-customer-evaluation/record-customer-evaluation.handler';
import { RemoveCustomerContactHandler } from './use-cases/remove-customer-contact/remove-customer-contact.handler';
import {
  UpdateCustomerBasicsHandler, UpdateCustomerConsumptionProfileHandler, UpdateCustomerContractHandler, UpdateCustomerFacilitiesHandler,
  UpdateCustomerImportanceHandler, UpdateCustomerOtherChannelsHandler, UpdateCustomerSegmentsHandler,
} from './use-cases/update-customer-file-section/update-customer-file-section.handler';

/**
 * Customer-file use cases (客户档案). The importing app provides EventStore and Clock. It exports
 * ComplaintIntake for the complaints module and RepairIntake for the after-sales one, so that a complaint
 * or a repair for an unknown customer opens its file: the app imports it as CustomersModule.global().
 */
@Module({
  imports: [CqrsModule],
  providers: [
    CustomerFileRepository,
    CustomerFileCommandExecutor,
    CustomerFileMergeQueue,
    CustomerFileMergeCompletion,
    { provide: ConsumptionAlertPolicySource, useValue: new FixedConsumptionAlertPolicySource() },
    { provide: ComplaintIntake, useClass: CustomerFileIntake },
    { provide: RepairIntake, useClass: CustomerFileRepairIntake },
    OpenCustomerFileHandler,
    ReclassifyCustomerHandler,
    SetNotificationOptOutHandler,
    UpdateCustomerBasicsHandler,
    UpdateCustomerConsumptionProfileHandler,
    UpdateCustomerContractHandler,
    UpdateCustomerFacilitiesHandler,
    UpdateCustomerOtherChannelsHandler,
    UpdateCustomerImportanceHandler,
    UpdateCustomerSegmentsHandler,
    AddCustomerContactHandler,
    ChangeCustomerContactHandler,
    RemoveCustomerContactHandler,
    RecordCustomerEvaluationHandler,
    LogCustomerVisitHandler,
    RecordCustomerConsumptionHandler,
    MergeCustomerFilesHandler,
    EraseCustomerPersonalDataHandler,
    ErasureCompletion,
    GetCustomerFileHandler,
    CustomerFileAudit,
  ],
  exports: [CustomerFileRepository, CustomerFileCommandExecutor, CustomerFileMergeCompletion, ComplaintIntake, ErasureCompletion, RepairIntake, CustomerFileAudit],
})
export class CustomersModule {
  /**
   * The module made global, as the composition root imports it: its ComplaintIntake reaches the one
   * ComplaintsModule that the app and the after-sales module share. A ComplaintsModule imported as a
   * dynamic module with this one would be a second instance, and the receive handler the command bus
   * keeps could be the one without the intake.
   */
  static global(): DynamicModule {
    return { module: CustomersModule, global: true };
  }
}
