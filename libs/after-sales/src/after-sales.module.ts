import { SurveyCampaignCompletion } from './survey/survey-campaign.handler';
import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ComplaintsModule } from '@app/complaints';
import { ProductCommandExecutor } from './product/product-command.executor';
import { ProductRepository } from './product/product.repository';
import { SURVEY_PROVIDERS } from './survey/survey.handlers';
import { SURVEY_CAMPAIGN_PROVIDERS } from './survey/survey-campaign.handler';
import { ServiceNetworkCommandExecutor } from './service-network/service-network-command.executor';
import { ServiceNetworkRepository } from './service-network/service-network.repository';
import { EngineerTurns } from './service-network/engineer-turns';
import { EngineerOpenWorkOrders } from './service-network/engineer-open-work-orders.query';
import { AddAgentHandler } from './use-cases/add-agent/add-agent.handler';
import { AddEngineerHandler } from './use-cases/add-engineer/add-engineer.handler';
import { DeactivateAgentHandler } from './use-cases/deactivate-agent/deactivate-agent.handler';
import { CancelWorkOrderHandler } from './use-cases/cancel-work-order/cancel-work-order.handler';
import { ChangeProductOwnerHandler } from './use-cases/change-product-owner/change-product-owner.handler';
import { ChangeServiceUnitRegionsHandler } from './use-cases/change-service-unit-regions/change-service-unit-regions.handler';
import { ConfirmQuoteHandler } from './use-cases/confirm-quote/confirm-quote.handler';
import { DeactivateEngineerHandler } from './use-cases/deactivate-engineer/deactivate-engineer.handler';
import { DispatchWorkOrderHandler } from './use-cases/dispatch-work-order/dispatch-work-order.handler';
import { EscalateWorkOrderHandler } from './use-cases/escalate-work-order/escalate-work-order.handler';
import { ExtendWarrantyHandler } from './use-cases/extend-warranty/extend-warranty.handler';
import { GetProductHandler } from './use-cases/get-product/get-product.query';
import { GetServiceNetworkHandler } from './use-cases/get-service-network/get-service-network.query';
import { GetWarrantyHandler } from './use-cases/get-warranty/get-warranty.query';
import { GetWorkOrderHandler } from './use-cases/get-work-order/get-work-order.query';
import { HandOverWorkOrderHandler } from './use-cases/hand-over-work-order/hand-over-work-order.handler';
import { LinkComplaintHandler } from './use-cases/link-complaint/link-complaint.handler';
import { LinkWorkOrderToComplaintHandler } from './use-cases/link-work-order/link-work-order.handler';
import { QuoteRepairHandler } from './use-cases/quote-repair/quote-repair.handler';
import { RecordArrivalHandler } from './use-cases/record-arrival/record-arrival.handler';
import { RecordCustomerContactHandler } from './use-cases/record-customer-contact/record-customer-contact.handler';
import { RecordFailedVisitHandler } from './use-cases/record-failed-visit/record-failed-visit.handler';
import { RecordFeeHandler } from './use-cases/record-fee/record-fee.handler';
import { RecordFindingsHandler } from './use-cases/record-findings/record-findings.handler';
import { RecordRemoteDiagnosisHandler } from './use-cases/record-remote-diagnosis/record-remote-diagnosis.handler';
import { RecordRepairWorkHandler } from './use-cases/record-repair-work/record-repair-work.handler';
import { RecordSignOffHandler } from './use-cases/record-sign-off/record-sign-off.handler';
import { RecordSurveyAnswerHandler } from './use-cases/record-survey-answer/record-survey-answer.handler';
import { RecordTestHandler } from './use-cases/record-test/record-test.handler';
import { RecordWorkOrderSlaBreachHandler } from './use-cases/record-work-order-sla-breach/record-work-order-sla-breach.handler';
import { RefuseQuoteHandler } from './use-cases/refuse-quote/refuse-quote.handler';
import { RegisterProductHandler } from './use-cases/register-product/register-product.handler';
import { RegisterServiceUnitHandler } from './use-cases/register-service-unit/register-service-unit.handler';
import { RenameServiceUnitHandler } from './use-cases/rename-service-unit/rename-service-unit.handler';
import { ReopenWorkOrderHandler } from './use-cases/reopen-work-order/reopen-work-order.handler';
import { ReportFaultHandler } from './use-cases/report-fault/report-fault.handler';
import { ScheduleVisitHandler } from './use-cases/schedule-visit/schedule-visit.handler';
import { SendSurveyHandler } from './use-cases/send-survey/send-survey.handler';
import { WorkOrderCommandExecutor } from './work-order/work-order-command.executor';
import { WorkOrderRepository } from './work-order/work-order.repository';

/**
 * After-sales use cases: the service network, the product registry and repair work orders
 * (docs/adr/0012). The importing app provides EventStore, Clock and SlaPolicySource, as for
 * complaints; the complaint repository comes from ComplaintsModule (a link names a complaint that exists).
 */
@Module({
  imports: [CqrsModule, ComplaintsModule],
  providers: [
    ServiceNetworkRepository,
    ServiceNetworkCommandExecutor,
    EngineerTurns,
    EngineerOpenWorkOrders,
    ProductRepository,
    ProductCommandExecutor,
    WorkOrderRepository,
    WorkOrderCommandExecutor,
    ReportFaultHandler,
    DispatchWorkOrderHandler,
    RecordFindingsHandler,
    LinkComplaintHandler,
    LinkWorkOrderToComplaintHandler,
    RecordCustomerContactHandler,
    RecordRemoteDiagnosisHandler,
    ScheduleVisitHandler,
    RecordArrivalHandler,
    RecordFailedVisitHandler,
    QuoteRepairHandler,
    ConfirmQuoteHandler,
    RefuseQuoteHandler,
    RecordRepairWorkHandler,
    RecordFeeHandler,
    RecordTestHandler,
    RecordSignOffHandler,
    HandOverWorkOrderHandler,
    SendSurveyHandler,
    RecordSurveyAnswerHandler,
    CancelWorkOrderHandler,
    ReopenWorkOrderHandler,
    EscalateWorkOrderHandler,
    RecordWorkOrderSlaBreachHandler,
    RegisterServiceUnitHandler,
    RenameServiceUnitHandler,
    ChangeServiceUnitRegionsHandler,
    AddEngineerHandler,
    AddAgentHandler,
    DeactivateAgentHandler,
    DeactivateEngineerHandler,
    RegisterProductHandler,
    ExtendWarrantyHandler,
    ChangeProductOwnerHandler,
    GetWorkOrderHandler,
    GetServiceNetworkHandler,
    GetProductHandler,
    GetWarrantyHandler,
    ...SURVEY_PROVIDERS,
    ...SURVEY_CAMPAIGN_PROVIDERS,
  ],
  exports: [ServiceNetworkRepository, EngineerOpenWorkOrders, ProductRepository, WorkOrderRepository, WorkOrderCommandExecutor, SurveyCampaignCompletion],
})
export class AfterSalesModule {}
