/**
 * Taxonomy codes of the complaint domain. Codes are the stable contract (English, kebab-case);
 * labels are for people. Defaults follow the seed documents (分类: 按原因 / 按行为 / 按目的,
 * resolution classes of seed 001, customer segments of seed 003).
 */
export interface Label {
  readonly 'zh-CN': string;
  readonly en: string;
}

function codes<const T extends Record<string, Label>>(entries: T): T {
  return entries;
}

export const TAXONOMY = {
  cause: codes({
    'product-quality': { 'zh-CN': '产品质量', en: 'Product quality' },
    service: { 'zh-CN': '服务', en: 'Service' },
    price: { 'zh-CN': '价格', en: 'Price' },
    integrity: { 'zh-CN': '诚信', en: 'Integrity' },
    'quantity-metering': { 'zh-CN': '油品数量/计量', en: 'Quantity / metering' },
    safety: { 'zh-CN': '安全', en: 'Safety' },
    other: { 'zh-CN': '其他', en: 'Other' },
  }),
  behaviour: codes({
    'passive-grumbling': { 'zh-CN': '消极抱怨', en: 'Passive grumbling' },
    'negative-publicity': { 'zh-CN': '负面宣传', en: 'Negative publicity' },
    'angry-venting': { 'zh-CN': '愤怒发泄', en: 'Angry venting' },
    'extreme-conflict': { 'zh-CN': '极端激进', en: 'Extreme / conflict' },
  }),
  purpose: codes({
    suggestion: { 'zh-CN': '建议性', en: 'Suggestion' },
    criticism: { 'zh-CN': '批评性', en: 'Criticism' },
    accusation: { 'zh-CN': '控告性', en: 'Accusation' },
  }),
  channel: codes({
    phone: { 'zh-CN': '电话', en: 'Phone' },
    'in-person': { 'zh-CN': '当面/上门', en: 'In person' },
    web: { 'zh-CN': '网站/网络', en: 'Web' },
    email: { 'zh-CN': '电子邮件', en: 'Email' },
    'mobile-app': { 'zh-CN': '移动应用', en: 'Mobile app' },
    'social-media': { 'zh-CN': '社交媒体', en: 'Social media' },
    'postal-mail': { 'zh-CN': '信函', en: 'Postal mail' },
    fax: { 'zh-CN': '传真', en: 'Fax' },
    referral: { 'zh-CN': '转介', en: 'Referral' },
    other: { 'zh-CN': '其他', en: 'Other' },
  }),
  severity: codes({
    low: { 'zh-CN': '轻微', en: 'Low' },
    medium: { 'zh-CN': '一般', en: 'Medium' },
    high: { 'zh-CN': '严重', en: 'High' },
    critical: { 'zh-CN': '重大/紧急', en: 'Critical' },
  }),
  resolutionClass: codes({
    immediate: { 'zh-CN': '当即可以解决', en: 'Solvable at once' },
    'short-term': { 'zh-CN': '短期内可以解决', en: 'Solvable in the short term' },
    'not-solvable-now': { 'zh-CN': '现阶段无法解决', en: 'Not solvable at present' },
  }),
  remedy: codes({
    explanation: { 'zh-CN': '解释说明', en: 'Explanation' },
    apology: { 'zh-CN': '赔礼道歉', en: 'Apology' },
    repair: { 'zh-CN': '维修', en: 'Repair' },
    replacement: { 'zh-CN': '更换', en: 'Replacement' },
    refund: { 'zh-CN': '退款', en: 'Refund' },
    compensation: { 'zh-CN': '赔偿', en: 'Compensation' },
    voucher: { 'zh-CN': '优惠券/代金券', en: 'Voucher' },
    'process-improvement': { 'zh-CN': '流程改进', en: 'Process improvement' },
    none: { 'zh-CN': '无', en: 'None' },
  }),
  customerSegment: codes({
    fleet: { 'zh-CN': '车队/单位司机', en: 'Fleet / company driver' },
    'private-car': { 'zh-CN': '私家车', en: 'Private car' },
    taxi: { 'zh-CN': '出租车', en: 'Taxi' },
    'long-haul-truck': { 'zh-CN': '长途货车', en: 'Long-haul truck' },
    motorcycle: { 'zh-CN': '摩托车', en: 'Motorcycle' },
    'drum-buyer': { 'zh-CN': '桶装油客户', en: 'Drum buyer' },
    fixed: { 'zh-CN': '固定客户', en: 'Fixed customer' },
    floating: { 'zh-CN': '流动客户', en: 'Floating customer' },
    other: { 'zh-CN': '其他', en: 'Other' },
  }),
  callbackOutcome: codes({
    satisfied: { 'zh-CN': '满意', en: 'Satisfied' },
    'partially-satisfied': { 'zh-CN': '基本满意', en: 'Partially satisfied' },
    unsatisfied: { 'zh-CN': '不满意', en: 'Unsatisfied' },
  }),
  /** What a file attached to a complaint is (seed 003 appends the two dispute forms). */
  attachmentKind: codes({
    receipt: { 'zh-CN': '票据/小票', en: 'Receipt' },
    photo: { 'zh-CN': '照片', en: 'Photo' },
    'sample-record': { 'zh-CN': '留样记录', en: 'Sample record' },
    'quality-dispute-form': { 'zh-CN': '质量纠纷判断表', en: 'Quality dispute form' },
    'metering-dispute-form': { 'zh-CN': '计量纠纷判断表', en: 'Metering dispute form' },
    other: { 'zh-CN': '其他', en: 'Other' },
  }),
} as const;

export type TaxonomyName = keyof typeof TAXONOMY;
export type Cause = keyof typeof TAXONOMY.cause;
export type Behaviour = keyof typeof TAXONOMY.behaviour;
export type Purpose = keyof typeof TAXONOMY.purpose;
export type Channel = keyof typeof TAXONOMY.channel;
export type Severity = keyof typeof TAXONOMY.severity;
export type ResolutionClass = keyof typeof TAXONOMY.resolutionClass;
export type Remedy = keyof typeof TAXONOMY.remedy;
export type CustomerSegment = keyof typeof TAXONOMY.customerSegment;
export type CallbackOutcome = keyof typeof TAXONOMY.callbackOutcome;
export type AttachmentKind = keyof typeof TAXONOMY.attachmentKind;

/** A family of code tables, each code with its labels (the complaint's, the after-sales ones, the customer file's). */
type CodeTables<Tables> = { readonly [N in keyof Tables]: Readonly<Record<string, Label>> };

/**
 * The lookups every family of code tables answers: the codes of one table in declaration order,
 * whether a value is one of them, and a code's labels (a code no table knows, from older history,
 * is shown as itself).
 */
export function codeTableLookups<Tables extends CodeTables<Tables>>(tables: Tables) {
  return {
    codes: <N extends keyof Tables>(name: N): Array<keyof Tables[N] & string> => Object.keys(tables[name]) as Array<keyof Tables[N] & string>,
    isCode: <N extends keyof Tables>(name: N, value: unknown): value is keyof Tables[N] & string => isCodeIn(tables[name], value),
    label: (name: keyof Tables, code: string): Label => {
      const table: Readonly<Record<string, Label>> = tables[name];
      return isCodeIn(table, code) ? table[code]! : { 'zh-CN': code, en: code };
    },
  };
}

/** The codes of one taxonomy, in declaration order; whether a value is one of them. */
export const { codes: taxonomyCodes, isCode: isTaxonomyCode } = codeTableLookups(TAXONOMY);

/** Whether the value is one of the codes of a table of labels (own keys only: never `constructor`). */
export function isCodeIn<T extends Readonly<Record<string, Label>>>(table: T, value: unknown): value is keyof T & string {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(table, value);
}
