import { useState } from 'react';
import { Select } from 'antd';

import { ownerOptions } from './owner-options';

export { UNASSIGNED } from './owner-options';

/**
 * The queue's department or assignee filter: a choice of "none yet" (`unassigned`, named in the language picked, so that the
 * dashboard's unassigned row opens the queue showing it), or any code typed, offered as it is typed and taken when the
 * field is left, as a plain text field took it. `value` and `onChange` come from the form item.
 */
export function OwnerFilter({ none, value, onChange, id, width }: { none: string; value?: string; onChange?: (value: string | undefined) => void; id?: string; width: number }) {
  const [typed, setTyped] = useState('');
  const code = typed.trim();
  // A code shown by the address (a link, the back button) is offered too, so that it shows as chosen; the start of
  // "none yet"'s name typed puts that choice first, so that Enter takes it.
  const options = ownerOptions(typed, value, none);
  return (
    <Select
      id={id}
      allowClear
      showSearch
      optionFilterProp="label"
      style={{ minWidth: width }}
      value={value}
      options={options}
      onSearch={setTyped}
      onChange={(chosen?: string) => { setTyped(''); onChange?.(chosen); }}
      // Left with a code typed and not chosen: it is the filter, as it was in the text field this replaces.
      onBlur={() => { if (code !== '') { onChange?.(code); setTyped(''); } }}
    />
  );
}
