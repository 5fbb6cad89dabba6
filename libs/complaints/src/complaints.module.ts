import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ComplaintAudit } from './audit/complaint-audit';
import { ComplaintCommandExecutor } from './complaint-command.executor';
import { ComplaintRepository } from './complaint-repository';
import { ApologiseForComplaintHandler } from './use-cases/apologise-for-complaint/apologise-for-complaint.handler';
import { AssignComplaintHandler } from './use-cases/assign-complaint/assign-complaint.handler';
import { EscalateComplaintHandler } from './use-cases/escalate-complaint/escalate-complaint.handler';
import { GetComplaintHandler } from './use-cases/get-complaint/get-complaint.query';
import { ReceiveComplaintHandler } from './use-cases/receive-complaint/receive-complaint.handler';
import { RecordCallbackHandler } from './use-cases/record-callback/record-callback.handler';
import { RejectComplaintHandler } from './use-cases/reject-complaint/reject-complaint.handler';
import { ReopenComplaintHandler } from './use-cases/reopen-complaint/reopen-complaint.handler';
import { ResolveComplaintHandler } from './use-cases/resolve-complaint/resolve-complaint.handler';
import { RecordOnSiteVisitHandler } from './use-cases/record-on-site-visit/record-on-site-visit.handler';
import { RecordSlaBreachHandler } from './use-cases/record-sla-breach/record-sla-breach.handler';
import { ValidateComplaintHandler } from './use-cases/validate-complaint/validate-complaint.handler';
import { AddComplaintNoteHandler } from './use-cases/add-complaint-note/add-complaint-note.handler';
import { AddComplaintAttachmentHandler } from './use-cases/add-complaint-attachment/add-complaint-attachment.handler';
import { UpdateComplaintContactHandler } from './use-cases/update-complaint-contact/update-complaint-contact.handler';
import { CorrectComplaintHandler } from './use-cases/correct-complaint/correct-complaint.handler';
import { RelateComplaintHandler } from './use-cases/relate-complaint/relate-complaint.handler';
import { TagComplaintHandler } from './use-cases/tag-complaint/tag-complaint.handler';
import { UnrelateComplaintHandler } from './use-cases/unrelate-complaint/unrelate-complaint.handler';

/**
 * Complaint use cases. The importing app provides EventStore, Clock and SlaPolicySource
 * (the composition root picks the adapters), and optionally ComplaintIntake from a global module
 * (CustomersModule.global()): one ComplaintsModule serves the app and the after-sales module alike.
 */
@Module({
  imports: [CqrsModule],
  providers: [
    ComplaintRepository,
    ComplaintCommandExecutor,
    ComplaintAudit,
    ReceiveComplaintHandler,
    ValidateComplaintHandler,
    RejectComplaintHandler,
    AssignComplaintHandler,
    ApologiseForComplaintHandler,
    EscalateComplaintHandler,
    ResolveComplaintHandler,
    RecordCallbackHandler,
    ReopenComplaintHandler,
    RecordOnSiteVisitHandler,
    RecordSlaBreachHandler,
    AddComplaintNoteHandler,
    AddComplaintAttachmentHandler,
    UpdateComplaintContactHandler,
    CorrectComplaintHandler,
    TagComplaintHandler,
    RelateComplaintHandler,
    UnrelateComplaintHandler,
    GetComplaintHandler,
  ],
  exports: [ComplaintRepository, ComplaintCommandExecutor, ComplaintAudit],
})
export class ComplaintsModule {}
