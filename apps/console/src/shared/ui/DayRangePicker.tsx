import { DatePicker } from 'antd';
import type { ComponentProps } from 'react';

export type DayRangePickerProps = ComponentProps<typeof DatePicker.RangePicker>;

/** A range of days with either end left open, as a list's filter takes it. Loaded on demand (LazyDayRangePicker). */
export default function DayRangePicker(props: DayRangePickerProps) {
  return <DatePicker.RangePicker allowEmpty={[true, true]} {...props} />;
}
