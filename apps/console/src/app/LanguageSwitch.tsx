import { Segmented, Select } from 'antd';
import { browserZone, SHANGHAI, useI18n } from '../shared/i18n/i18n';

/** 中文 / English, at any time: labels, dates and the components' own texts change at once. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <Segmented
      aria-label={t('header.language')}
      value={language}
      onChange={(value) => setLanguage(value as 'zh-CN' | 'en')}
      options={[{ value: 'zh-CN', label: <span lang="zh-CN">中文</span> }, { value: 'en', label: <span lang="en">English</span> }]}
    />
  );
}

/** The zone times are shown in: the desk's (Asia/Shanghai) or this browser's. */
export function ZoneSwitch() {
  const { zone, setZone, t } = useI18n();
  const own = browserZone();
  const options = [{ value: SHANGHAI, label: SHANGHAI }, ...(own === SHANGHAI ? [] : [{ value: own, label: t('header.zoneBrowser', { zone: own }) }])];
  return <Select aria-label={t('header.timeZone')} value={zone} onChange={setZone} options={options} style={{ minWidth: 170 }} popupMatchSelectWidth={false} />;
}
