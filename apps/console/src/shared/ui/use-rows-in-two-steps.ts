import { startTransition, useEffect, useState } from 'react';

/**
 * A list's rows drawn in two steps the first time it has any: the first `first` rows (a screen's worth), then, in a
 * transition of the next render, all of them. The first rows then wait for that many rows' components, not for the
 * whole page's (each row of an Ant Design table is a few dozen of them); later lists (another page, a filter) are
 * drawn whole at once.
 */
export function useRowsInTwoSteps<Row>(rows: readonly Row[], first: number): readonly Row[] {
  const [whole, setWhole] = useState(false);
  const cut = !whole && rows.length > first;
  useEffect(() => {
    if (cut) startTransition(() => setWhole(true));
  }, [cut]);
  return cut ? rows.slice(0, first) : rows;
}
