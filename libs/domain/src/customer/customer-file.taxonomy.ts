import { TAXONOMY, codeTableLookups, type CustomerSegment, type Label } from '../taxonomy';

/*
 * Codes of the customer file (seed 003, 客户档案管理与运用), with zh-CN and en labels. Codes are the
 * stable contract (English, kebab-case). Kept apart from TAXONOMY, which GET /taxonomy serves as it
 * is; serving these is the HTTP slice's choice. The six driver types and fixed / floating are the
 * complaint's customer segments, so their labels are taken from there, never written twice.
 */
const segment = TAXONOMY.customerSegment;

export const CUSTOMER_FILE_TAXONOMY = {
  /** 固定客户档案 / 流动客户 / 供油半径内的潜在客户档案: also the fixed / floating segment dimension. */
  category: {
    fixed: segment.fixed,
    floating: segment.floating,
    potential: { 'zh-CN': '潜在客户', en: 'Potential customer' },
  },
  /** 客户类型: whether the file is about a person, whose name is then personal data, or an organisation. */
  customerType: {
    person: { 'zh-CN': '个人客户', en: 'Individual' },
    organisation: { 'zh-CN': '单位客户', en: 'Organisation' },
  },
  /** 信用等级. */
  creditRating: {
    a: { 'zh-CN': 'A 级（信用优良）', en: 'A (excellent)' },
    b: { 'zh-CN': 'B 级（信用良好）', en: 'B (good)' },
    c: { 'zh-CN': 'C 级（信用一般）', en: 'C (fair)' },
    d: { 'zh-CN': 'D 级（信用较差）', en: 'D (poor)' },
  },
  /** 客户的重要程度. */
  importanceLevel: {
    a: { 'zh-CN': 'A 类（重点）', en: 'A (key)' },
    b: { 'zh-CN': 'B 类（重要）', en: 'B (important)' },
    c: { 'zh-CN': 'C 类（一般）', en: 'C (ordinary)' },
  },
  /** 以消费主体的性质分: 车辆用户和非车辆用户. */
  consumerKind: {
    vehicle: { 'zh-CN': '车辆用户', en: 'Vehicle user' },
    'non-vehicle': { 'zh-CN': '非车辆用户', en: 'Non-vehicle user' },
  },
  /** The seed's finer division of each consumer kind (USAGE_KIND says which kind each belongs to). */
  usage: {
    'government-vehicle': { 'zh-CN': '政府车辆', en: 'Government vehicles' },
    'enterprise-vehicle': { 'zh-CN': '企事业单位车辆', en: 'Company and institution vehicles' },
    'private-car': segment['private-car'],
    taxi: segment.taxi,
    'heavy-truck': { 'zh-CN': '大货车', en: 'Heavy trucks' },
    bus: { 'zh-CN': '公交车', en: 'Buses' },
    'farm-vehicle': { 'zh-CN': '农用车', en: 'Farm vehicles' },
    'hotel-boiler': { 'zh-CN': '宾馆锅炉用油', en: 'Hotel boilers' },
    industrial: { 'zh-CN': '工业用户', en: 'Industry' },
    'construction-site': { 'zh-CN': '工地', en: 'Construction sites' },
    agricultural: { 'zh-CN': '农业用油', en: 'Agriculture' },
  },
  /** 加油站的客户对象: the six driver types of the seed's differentiated service. */
  driverType: {
    fleet: segment.fleet,
    'private-car': segment['private-car'],
    taxi: segment.taxi,
    'long-haul-truck': segment['long-haul-truck'],
    motorcycle: segment.motorcycle,
    'drum-buyer': segment['drum-buyer'],
  },
  /** 以消费主体的地域分. */
  locality: {
    local: { 'zh-CN': '本地', en: 'Local' },
    'non-local': { 'zh-CN': '外地', en: 'Non-local' },
  },
  /** 以结算方式分. */
  settlement: {
    cash: { 'zh-CN': '现金结算', en: 'Cash' },
    cheque: { 'zh-CN': '支票', en: 'Cheque' },
    'unionpay-card': { 'zh-CN': '银联卡', en: 'UnionPay card' },
    'ic-card': { 'zh-CN': 'IC 卡（加油卡）', en: 'IC fuel card' },
    'mobile-payment': { 'zh-CN': '移动支付', en: 'Mobile payment' },
    other: { 'zh-CN': '其他', en: 'Other' },
  },
  volumeUnit: {
    litre: { 'zh-CN': '升', en: 'litres' },
    tonne: { 'zh-CN': '吨', en: 'tonnes' },
  },
  /**
   * Why personal data may be erased: the grounds of PIPL art. 47 (个人信息保护法第四十七条) and
   * GDPR art. 17(1), which overlap.
   */
  erasureGround: {
    'purpose-fulfilled': { 'zh-CN': '处理目的已实现、无法实现或不再必要', en: 'Purpose fulfilled or no longer necessary' },
    'service-ended': { 'zh-CN': '已停止提供产品或服务', en: 'Products or services no longer provided' },
    'retention-expired': { 'zh-CN': '保存期限已届满', en: 'Retention period expired' },
    'consent-withdrawn': { 'zh-CN': '个人撤回同意', en: 'Consent withdrawn' },
    objection: { 'zh-CN': '个人反对处理', en: 'Objection to processing' },
    'unlawful-processing': { 'zh-CN': '违反法律、行政法规或约定处理', en: 'Processed unlawfully or against the agreement' },
    'legal-obligation': { 'zh-CN': '法律、行政法规规定的其他情形', en: 'Required by law' },
  },
} as const;

export type CustomerFileTaxonomyName = keyof typeof CUSTOMER_FILE_TAXONOMY;
export type CustomerFileCode<N extends CustomerFileTaxonomyName> = keyof (typeof CUSTOMER_FILE_TAXONOMY)[N] & string;

export type CustomerCategory = CustomerFileCode<'category'>;
export type CustomerType = CustomerFileCode<'customerType'>;
export type CreditRating = CustomerFileCode<'creditRating'>;
export type ImportanceLevel = CustomerFileCode<'importanceLevel'>;
export type ConsumerKind = CustomerFileCode<'consumerKind'>;
export type ConsumerUsage = CustomerFileCode<'usage'>;
export type DriverType = CustomerFileCode<'driverType'>;
export type Locality = CustomerFileCode<'locality'>;
export type Settlement = CustomerFileCode<'settlement'>;
export type VolumeUnit = CustomerFileCode<'volumeUnit'>;
export type ErasureGround = CustomerFileCode<'erasureGround'>;

/** Which consumer kind each usage belongs to: a segment may not contradict itself. */
export const USAGE_KIND: Readonly<Record<ConsumerUsage, ConsumerKind>> = {
  'government-vehicle': 'vehicle',
  'enterprise-vehicle': 'vehicle',
  'private-car': 'vehicle',
  taxi: 'vehicle',
  'heavy-truck': 'vehicle',
  bus: 'vehicle',
  'farm-vehicle': 'vehicle',
  'hotel-boiler': 'non-vehicle',
  industrial: 'non-vehicle',
  'construction-site': 'non-vehicle',
  agricultural: 'non-vehicle',
};

/** Every driver type but the drum buyer (who may fill drums for a boiler or a farm) drives a vehicle. */
export const DRIVER_TYPE_KIND: Readonly<Record<DriverType, ConsumerKind | null>> = {
  fleet: 'vehicle',
  'private-car': 'vehicle',
  taxi: 'vehicle',
  'long-haul-truck': 'vehicle',
  motorcycle: 'vehicle',
  'drum-buyer': null,
};

/**
 * What a complaint's single segment code says on the file's dimensions: a driver type (and so,
 * but for the drum buyer, a vehicle user), or fixed / floating, which is the file's category.
 */
export function dimensionsOfComplaintSegment(code: CustomerSegment | null): {
  readonly category: 'fixed' | 'floating';
  readonly driverType: DriverType | null;
  readonly consumerKind: ConsumerKind | null;
} {
  if (code === 'fixed') return { category: 'fixed', driverType: null, consumerKind: null };
  if (code !== null && isCustomerFileCode('driverType', code)) return { category: 'floating', driverType: code, consumerKind: DRIVER_TYPE_KIND[code] };
  return { category: 'floating', driverType: null, consumerKind: null };
}

/** The codes of one table of the file, whether a value is one of them, and a code's labels (a code no table knows, from older history, is shown as itself). */
export const { codes: customerFileCodes, isCode: isCustomerFileCode, label: customerFileLabel } = codeTableLookups(CUSTOMER_FILE_TAXONOMY);
