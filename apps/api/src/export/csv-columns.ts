import { TAXONOMY, formatMoney, type Money } from '@app/domain';
import {
  FEE_VERDICTS, ZERO_COUNTERS, type AtRiskView, type BoardItem, type BreachView, type ComplaintSummary, type ComplianceRow, type ComplianceTotals, type ConsumptionAlertDocument, type CurrencyTotal,
  type CustomerDocument, type CustomerFileSummary, type DecisionDocument, type EngineerStatsRow, type ImportanceLoyaltyRow, type LoyaltyCount, type RepairFeesFigures, type RepairFeesRow,
  type RepairFigures, type StationStatsRow, type StatsRow, type StatsTotals, type SurveyFigures, type SurveyListItem, type SurveyStatsRow,
  type WorkOrderSummary,
} from '@app/read-models';
import type { TokenView } from '../access/access-control.service';
import type { AsOfGenerationDto, AsOfJobDto } from '../analytics/as-of.dto';
import type { AccessHistoryEntryDto } from '../audit/audit.dto';
import type { ComplaintEventDto } from '../complaints/dto/complaint-views.dto';
import type { WebhookDeliveryDto, WebhookViewDto } from '../webhooks/webhooks.dto';
import { cellAt, pathColumns, type CsvColumn } from './csv-table';

/*
 * The columns of each CSV export, in their order: the JSON fields of a row, nested ones by their
 * dotted path. The order is part of the contract (a spreadsheet refers to columns by position), so
 * a new field goes at the end. README "Export as CSV" lists them.
 */

/** `visibleTo` is left out: it is the store's key for department scoping, not a fact about the complaint. */
export const COMPLAINT_COLUMNS = pathColumns<ComplaintSummary>(
  'id', 'status', 'customerId', 'customerName', 'segment', 'channel', 'cause', 'behaviour', 'purpose', 'severity', 'department', 'assignee',
  'receivedAt', 'firstReplyAt', 'resolvedAt', 'closedAt', 'escalationLevel', 'reopenCount', 'breaches', 'revision', 'updatedAt', 'receivedBy',
  'nextDueAt', 'nextDueClock', 'description', 'tags', 'duplicateOf', 'descriptionIsPersonal',
);

const CLOCK_PATHS = ['id', 'complaintId', 'clock', 'status', 'department', 'assignee', 'cause', 'severity', 'customerId', 'startedAt', 'deadline', 'metAt', 'breached', 'breachRecordedAt'];

export const BREACH_COLUMNS = pathColumns<BreachView>(...CLOCK_PATHS, 'open', 'overdueMs', 'policyVersion', 'calendar', 'overdueHours');

/** overdueMs is empty for a running clock; it is kept so that both SLA exports have the same first columns. */
export const AT_RISK_COLUMNS = pathColumns<AtRiskView>(...CLOCK_PATHS, 'overdueMs', 'dueInMs', 'policyVersion', 'calendar', 'overdueHours', 'dueInHours');

/**
 * The totals last, `totals` in the period column, as every statistics CSV: the period is a day (empty in
 * each row without an interval), so no department, assignee or cause named `totals` reads as the totals.
 */
export const COMPLIANCE_COLUMNS = pathColumns<ComplianceRow | (ComplianceTotals & { period: 'totals' })>('period', 'value', 'met', 'breached', 'compliancePercent');
/** With an interval: last, whether the period is partial (empty in the totals row). */
export const COMPLIANCE_PERIOD_COLUMNS = pathColumns<ComplianceRow | (ComplianceTotals & { period: 'totals' })>('period', 'value', 'met', 'breached', 'compliancePercent', 'partial');

const summary = (name: string) => ['mean', 'p50', 'p90'].map((figure) => `${name}.${figure}`);

/** The last row holds the totals: `totals` in the period column, the value column empty, as the last (partial). */
export const STATS_COLUMNS = pathColumns<StatsRow | (StatsTotals & { period: 'totals' })>(
  'period', 'value', 'received', 'validated', 'rejected', 'resolved', 'reopened', 'wellFoundedPercent',
  ...summary('timeToFirstReplyMs'), ...summary('timeToResolutionMs'), ...summary('timeToFirstReplyHours'), ...summary('timeToResolutionHours'),
  'slaCompliancePercent', 'meanSatisfaction', 'partial',
);

/**
 * A customer's figures, one column each; severities without a complaint count 0. The factors are
 * one cell, `code:contribution` joined with `;` (their words are in the JSON and the taxonomy).
 */
export const CUSTOMER_COLUMNS: Array<CsvColumn<CustomerDocument>> = [
  ...pathColumns<CustomerDocument>('id', 'name', 'segment', 'score', 'tier', 'tierLabels.zh-CN', 'tierLabels.en', 'stage', 'stageLabels.zh-CN', 'stageLabels.en',
    'complaints.total', 'complaints.open', 'complaints.reopened', 'complaints.escalated'),
  ...Object.keys(TAXONOMY.severity).map((severity): CsvColumn<CustomerDocument> => {
    const header = `complaints.bySeverity.${severity}`;
    return { header, cell: (row) => cellAt(row, header) ?? 0 };
  }),
  ...pathColumns<CustomerDocument>('firstComplaintAt', 'lastComplaintAt', 'causes', 'receipts', 'recentScores', 'modelVersion'),
  { header: 'factors', cell: (row) => row.factors.map((factor) => `${factor.code}:${factor.contribution}`).join(';') },
  ...pathColumns<CustomerDocument>(...Object.keys(ZERO_COUNTERS).map((counter) => `counters.${counter}`)),
];

export const DECISION_COLUMNS = pathColumns<DecisionDocument>('id', 'position', 'complaintId', 'revision', 'type', 'actorId', 'role', 'reason', 'occurredAt', 'decision.zh-CN', 'decision.en', 'workOrderId', 'stream');

export const TOKEN_COLUMNS = pathColumns<TokenView>('tokenId', 'principalId', 'role', 'departments', 'source', 'status', 'issuedAt', 'issuedBy', 'expiresAt', 'revokedAt', 'revokedBy');

/** A customer file of the lists: its facts, segments one column per dimension, the seed's analysis figures. */
export const CUSTOMER_FILE_COLUMNS = pathColumns<CustomerFileSummary>(
  'id', 'status', 'category', 'name', 'address', 'customerType', 'creditRating', 'importance.key', 'importance.level',
  'segments.consumerKind', 'segments.usage', 'segments.driverType', 'segments.locality', 'segments.settlement',
  'contacts', 'openedAt', 'openedBy', 'openedForComplaint', 'visits', 'lastVisitAt', 'nextStepDue', 'rating', 'ratedAt',
  'lastPeriod', 'lastVolume', 'volumeUnit', 'alertPeriods', 'contractSigned', 'contractValidUntil', 'survivorId', 'mergedAt', 'absorbed', 'erasedAt',
  'revision', 'updatedAt',
);

export const CONSUMPTION_ALERT_COLUMNS = pathColumns<ConsumptionAlertDocument>(
  'id', 'customerId', 'category', 'importanceLevel', 'period', 'volume.amount', 'volume.unit', 'recentAverage.amount', 'recentAverage.unit', 'drop',
  'comparedPeriods', 'policyVersion', 'dropShare', 'detectedAt', 'detectedBy',
);

export const LOYALTY_DISTRIBUTION_COLUMNS = pathColumns<LoyaltyCount>('dimension', 'value', 'labels.zh-CN', 'labels.en', 'customers');

export const IMPORTANCE_LOYALTY_COLUMNS = pathColumns<ImportanceLoyaltyRow>('importance', 'tier', 'customers', 'keyCustomers');

/** An amount for a spreadsheet: the currency and the decimal amount ("CNY 780.00"); the JSON keeps the integer minor units. */
const moneyCell = (amount: Money | null | undefined): string | null => (amount ? formatMoney(amount) : null);
/** Sums per currency in one cell: "CNY 300.30;USD 19.99". */
const currencyCell = (totals: readonly CurrencyTotal[]): string => totals.map((total) => `${total.currency} ${total.amount}`).join(';');

const WORK_ORDER_PATHS = [
  'id', 'status', 'open', 'priority', 'customerId', 'channel', 'region', 'productSerial', 'productModel', 'stationCode', 'stationName.zh-CN', 'stationName.en',
  'engineerId', 'engineerName', 'reportedAt', 'reportedBy', 'dispatchedAt', 'firstContactAt', 'cycle', 'reopenCount', 'scheduledVisitFor', 'arrivedAt', 'visits',
  'failedVisits', 'faultCause', 'warrantyVerdict', 'quote.number', 'quote.status',
];

/** A work order's facts; its quote total and fee as "CNY 780.00". */
export const WORK_ORDER_COLUMNS: Array<CsvColumn<WorkOrderSummary>> = [
  ...pathColumns<WorkOrderSummary>(...WORK_ORDER_PATHS),
  { header: 'quote.total', cell: (row) => moneyCell(row.quote?.total) },
  ...pathColumns<WorkOrderSummary>('chargeableWork'),
  { header: 'fee', cell: (row) => moneyCell(row.fee) },
  ...pathColumns<WorkOrderSummary>(
    'signedOffAt', 'closedAt', 'outcome', 'cancelledAt', 'surveySentAt', 'surveyAnsweredAt', 'satisfaction', 'escalationLevel', 'breaches', 'linkedComplaintIds',
    'nextDeadlineClock', 'nextDeadlineAt', 'revision', 'updatedAt',
  ),
];

/** The board's columns: a work order's, then its pending deadlines (`clock@deadline;…`) and the markers. */
export const BOARD_COLUMNS: Array<CsvColumn<BoardItem>> = [
  ...(WORK_ORDER_COLUMNS as Array<CsvColumn<BoardItem>>),
  { header: 'deadlines', cell: (row) => row.deadlines.map((deadline) => `${deadline.clock}@${deadline.deadline}`).join(';') },
  ...pathColumns<BoardItem>('dueInMs', 'overdue', 'atRisk', 'breached', 'dueInHours'),
];

const REPAIR_FIGURES = [
  'orders', 'open', 'completed', 'firstTimeFix', 'firstTimeFixPercent', 'repeatRepairs', 'repeatRepairPercent', 'fixedRemotely', 'cancelled', 'quoteRefused', 'visits', 'failedVisits',
  ...summary('timeToArriveMs'), ...summary('timeToCompleteMs'), ...summary('timeToArriveHours'), ...summary('timeToCompleteHours'),
  'onSiteMet', 'onSiteBreached', 'onSiteCompliancePercent', 'slaCompliancePercent', 'surveysSent', 'surveysAnswered', 'surveyResponsePercent', 'meanSatisfaction',
];

/**
 * The last row holds the totals: `totals` in the period column, the engineer and station columns empty. Every period
 * statistic ends with `partial` (isPartialPeriod), empty in the totals row: they are of the range asked, not of a period.
 */
export const ENGINEER_STATS_COLUMNS = pathColumns<EngineerStatsRow | (RepairFigures & { period: 'totals' })>('period', 'engineerId', 'engineerName', 'station', ...REPAIR_FIGURES, 'partial');

export const STATION_STATS_COLUMNS = pathColumns<StationStatsRow | (RepairFigures & { period: 'totals' })>('period', 'station', 'stationName.zh-CN', 'stationName.en', ...REPAIR_FIGURES, 'partial');

type FeesRow = RepairFeesRow | (RepairFeesFigures & { period: 'totals' });

/** Repairs by class and verdict (every verdict a column), then the fees and confirmed quotes per currency in one cell each ("CNY 300.30;USD 19.99"). */
export const REPAIR_FEES_COLUMNS: Array<CsvColumn<FeesRow>> = [
  ...pathColumns<FeesRow>(
    'period', 'station', 'stationName.zh-CN', 'stationName.en', 'closed', 'repaired', 'warranty', 'chargeable', 'freeOutOfWarranty', 'fixedRemotely', 'quoteRefused',
    'warrantyPercent', 'chargeablePercent', ...FEE_VERDICTS.map((verdict) => `verdicts.${verdict}`),
  ),
  { header: 'fees', cell: (row) => currencyCell(row.fees) },
  { header: 'confirmedQuotes', cell: (row) => currencyCell(row.confirmedQuotes) },
  ...pathColumns<FeesRow>('partial'),
];

/** A survey's scores are one cell, `question:score` joined with `;` in the order asked. */
export const SURVEY_COLUMNS: Array<CsvColumn<SurveyListItem>> = [
  ...pathColumns<SurveyListItem>(
    'id', 'status', 'expired', 'subjectKind', 'subjectId', 'customerId', 'channel', 'department', 'stationCode', 'engineerId', 'cause', 'questions',
    'sentAt', 'sentBy', 'expiresAt', 'answeredAt',
  ),
  { header: 'scores', cell: (row) => row.questions.filter((question) => row.scores[question] !== undefined).map((question) => `${question}:${row.scores[question]}`).join(';') },
  ...pathColumns<SurveyListItem>('meanScore', 'comment', 'cancelledAt', 'cancelReason', 'revision', 'updatedAt', 'source', 'campaignId'),
];

type SurveyStatsCsvRow = SurveyStatsRow | (SurveyFigures & { period: 'totals' });

/** The last row holds the totals; each question's mean is one cell, `question:mean/answers` joined with `;`. */
export const SURVEY_STATS_COLUMNS: Array<CsvColumn<SurveyStatsCsvRow>> = [
  ...pathColumns<SurveyStatsCsvRow>('period', 'value', 'sent', 'answered', 'cancelled', 'responseRatePercent', 'meanScore'),
  { header: 'questions', cell: (row) => row.questions.map((question) => `${question.questionId}:${question.meanScore}/${question.answers}`).join(';') },
  ...pathColumns<SurveyStatsCsvRow>('partial'),
];

/** A webhook as GET /webhooks lists it (never its secret): the filter and the circuit breaker one column per member. */
export const WEBHOOK_COLUMNS = pathColumns<WebhookViewDto>(
  'id', 'url', 'status', 'description', 'filter.eventTypes', 'filter.streamTypes', 'filter.complaintId', 'filter.customerId', 'secretFingerprint',
  'previousSecret.fingerprint', 'previousSecret.until', 'previousSecret.signing', 'registeredAt', 'changedAt', 'pendingDeliveries',
  'circuit.state', 'circuit.consecutiveFailures', 'circuit.openUntil',
);

export const WEBHOOK_DELIVERY_COLUMNS = pathColumns<WebhookDeliveryDto>(
  'id', 'webhookId', 'status', 'eventPosition', 'eventId', 'eventType', 'stream', 'attempts', 'queuedAt', 'firstAttemptAt', 'lastAttemptAt', 'nextAttemptAt',
  'lastStatusCode', 'lastError', 'deliveredAt', 'deadAt', 'redeliveryOf', 'droppedAt', 'dropReason',
);

/** A grant or revocation of the access-control stream; its data (what was granted or revoked) is one cell of JSON, as each type has its own fields. */
export const ACCESS_HISTORY_COLUMNS = pathColumns<AccessHistoryEntryDto>('revision', 'position', 'type', 'actor.id', 'actor.role', 'reason', 'occurredAt', 'recordedAt', 'commandId', 'hash', 'data');

/** An as-of row: `generation` (the catalogue's) or `job` (this server's); a job's figures under progress, a generation's beside its name. */
export type AsOfCsvRow = ({ kind: 'generation' } & AsOfGenerationDto) | ({ kind: 'job' } & Partial<Omit<AsOfJobDto, 'generation'>>);

export const AS_OF_COLUMNS = pathColumns<AsOfCsvRow>(
  'kind', 'name', 'until', 'status', 'builtAt', 'position', 'events', 'applied', 'documents', 'requestedBy', 'createdAt', 'startedAt', 'finishedAt',
  'progress.events', 'progress.applied', 'progress.position', 'progress.ofPosition', 'progress.fraction', 'eventsPerSecond', 'etaSeconds', 'error', 'note', 'eventsUntil',
);

/** An event of a stream with its metadata; its data is one cell of JSON, as each event type has its own fields. */
export const STREAM_EVENT_COLUMNS = pathColumns<ComplaintEventDto>(
  'revision', 'position', 'type', 'recordedAt', 'metadata.eventId', 'metadata.commandId', 'metadata.commandType', 'metadata.correlationId', 'metadata.causationId',
  'metadata.actor.id', 'metadata.actor.role', 'metadata.reason', 'metadata.occurredAt', 'metadata.schemaVersion', 'metadata.requestDigest', 'metadata.hash', 'data',
);
