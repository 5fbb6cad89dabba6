/** The units the deactivation specs set up: a centre, and the Dandong station under it. */
export const DANDONG_UNITS = [
  { code: 'cs-centre', kind: 'centre', name: { 'zh-CN': '客服中心', en: 'Customer service centre' }, reason: '一个中心' },
  { code: 'dandong-station', kind: 'station', name: { 'zh-CN': '丹东服务站', en: 'Dandong service station' }, parent: 'cs-centre', regions: ['210600'], reason: 'station for Dandong' },
] as const;
