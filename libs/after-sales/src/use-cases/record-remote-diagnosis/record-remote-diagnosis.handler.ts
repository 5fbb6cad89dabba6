import { CommandHandler } from '@nestjs/cqrs';
import type { RecordRemoteDiagnosis } from '@app/domain';
import { WorkOrderCommandHandler, WorkOrderCommandMessage } from '../work-order-command.base';

export class RecordRemoteDiagnosisCommand extends WorkOrderCommandMessage<RecordRemoteDiagnosis> {
  readonly type = 'RecordRemoteDiagnosis';
}

@CommandHandler(RecordRemoteDiagnosisCommand)
export class RecordRemoteDiagnosisHandler extends WorkOrderCommandHandler<RecordRemoteDiagnosisCommand> {}
