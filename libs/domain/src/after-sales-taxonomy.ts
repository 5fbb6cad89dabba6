import { codeTableLookups, type Label } from './taxonomy';

/**
 * Codes of the after-sales side (seed 002, 售后服务体系), with labels in Chinese and English. Kept
 * apart from TAXONOMY, which GET /taxonomy serves as it is: serving these is the HTTP slice's choice.
 */
export const AFTER_SALES_TAXONOMY = {
  /** 一个中心、分支机构、服务站. */
  serviceUnitKind: {
    centre: { 'zh-CN': '客服中心', en: 'Customer service centre' },
    branch: { 'zh-CN': '分支机构', en: 'Branch' },
    station: { 'zh-CN': '服务站', en: 'Service station' },
    department: { 'zh-CN': '业务部门', en: 'Department' },
  },
  faultCause: {
    'product-defect': { 'zh-CN': '产品质量缺陷', en: 'Product defect' },
    'wear-and-tear': { 'zh-CN': '正常磨损', en: 'Normal wear and tear' },
    installation: { 'zh-CN': '安装问题', en: 'Installation' },
    /** 人为损坏: excluded from the warranty (seed 002: 保修期限外或认为损坏向客户报价). */
    'customer-damage': { 'zh-CN': '人为损坏', en: 'Damage caused by the customer' },
    unknown: { 'zh-CN': '原因不明', en: 'Unknown' },
  },
  warrantyVerdict: {
    'in-warranty': { 'zh-CN': '保修期内', en: 'In warranty' },
    expired: { 'zh-CN': '已过保修期', en: 'Warranty expired' },
    'not-yet-in-force': { 'zh-CN': '保修尚未生效', en: 'Warranty not yet in force' },
    'customer-damage': { 'zh-CN': '人为损坏，不在保修范围', en: 'Excluded: damage caused by the customer' },
    'not-registered': { 'zh-CN': '产品未登记', en: 'Product not registered' },
  },
  /** What a warranty covers and a quote charges for. */
  chargeKind: {
    parts: { 'zh-CN': '配件', en: 'Parts' },
    labour: { 'zh-CN': '人工', en: 'Labour' },
    'on-site': { 'zh-CN': '上门服务', en: 'On-site call-out' },
  },
  remoteOutcome: {
    'fixed-remotely': { 'zh-CN': '远程排除故障', en: 'Fixed remotely' },
    'on-site-needed': { 'zh-CN': '需上门处理', en: 'On-site visit needed' },
  },
  failedVisitReason: {
    'customer-absent': { 'zh-CN': '客户不在', en: 'Customer absent' },
    'no-access': { 'zh-CN': '无法进入现场', en: 'No access to the site' },
    'part-missing': { 'zh-CN': '缺少配件', en: 'Part missing' },
    'needs-other-skills': { 'zh-CN': '需其他专业技能', en: 'Needs other skills' },
    other: { 'zh-CN': '其他', en: 'Other' },
  },
  paymentMethod: {
    cash: { 'zh-CN': '现金', en: 'Cash' },
    card: { 'zh-CN': '银行卡', en: 'Card' },
    'bank-transfer': { 'zh-CN': '银行转账', en: 'Bank transfer' },
    'mobile-payment': { 'zh-CN': '移动支付', en: 'Mobile payment' },
    'on-account': { 'zh-CN': '挂账/开票', en: 'On account (invoiced)' },
  },
  closureOutcome: {
    repaired: { 'zh-CN': '维修完成', en: 'Repaired' },
    'fixed-remotely': { 'zh-CN': '远程排除', en: 'Fixed remotely' },
    'quote-refused': { 'zh-CN': '客户拒绝报价', en: 'Quote refused by the customer' },
  },
  workOrderClock: {
    'first-contact': { 'zh-CN': '首次联系客户', en: 'first contact' },
    'on-site': { 'zh-CN': '到达现场', en: 'on-site arrival' },
    completion: { 'zh-CN': '维修完成', en: 'completion' },
    survey: { 'zh-CN': '满意度调查', en: 'satisfaction survey' },
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, Label>>>>;

export type AfterSalesTaxonomyName = keyof typeof AFTER_SALES_TAXONOMY;
export type ServiceUnitKind = keyof typeof AFTER_SALES_TAXONOMY.serviceUnitKind;
export type FaultCause = keyof typeof AFTER_SALES_TAXONOMY.faultCause;
export type WarrantyVerdict = keyof typeof AFTER_SALES_TAXONOMY.warrantyVerdict;
export type ChargeKind = keyof typeof AFTER_SALES_TAXONOMY.chargeKind;
export type RemoteOutcome = keyof typeof AFTER_SALES_TAXONOMY.remoteOutcome;
export type FailedVisitReason = keyof typeof AFTER_SALES_TAXONOMY.failedVisitReason;
export type PaymentMethod = keyof typeof AFTER_SALES_TAXONOMY.paymentMethod;
export type ClosureOutcome = keyof typeof AFTER_SALES_TAXONOMY.closureOutcome;
export type WorkOrderClock = keyof typeof AFTER_SALES_TAXONOMY.workOrderClock;

/**
 * The codes of one after-sales table in declaration order, whether a value is one of them, and a
 * code's labels (the code itself in both languages when it is not one: history is shown as written).
 */
export const { codes: afterSalesCodes, isCode: isAfterSalesCode, label: afterSalesLabel } = codeTableLookups(AFTER_SALES_TAXONOMY);
