import { lazy, Suspense } from 'react';
import { Input } from 'antd';
import type { DayRangePickerProps } from './DayRangePicker';

// The date picker (its code and its styles) is the largest part of a first screen's filters that nobody needs at once:
// it loads beside the queue, not before it (the initial JavaScript's budget, and the time to the queue's first rows).
const DayRangePicker = lazy(() => import('./DayRangePicker'));

/**
 * A range of days for a form's field (Form.Item hands it id, value and onChange): until the picker is there, a disabled
 * field of its size under the same label.
 */
export function LazyDayRangePicker(props: DayRangePickerProps) {
  return (
    <Suspense fallback={<Input id={typeof props.id === 'string' ? props.id : undefined} disabled style={{ width: 260 }} />}>
      <DayRangePicker {...props} />
    </Suspense>
  );
}
