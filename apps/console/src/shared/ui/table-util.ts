/**
 * @rc-component/util as Ant Design's table (@rc-component/table) sees it: the same module, but for its scrollbar measure.
 * The table measures, once it is on the page, the scrollbar of the element its rows scroll in, to line a fixed or sticky
 * header (and summary) up with a body that has a scrollbar. The measure adds a probe and a <style> to the document and
 * reads the probe's width: a forced style recalculation and layout of the whole page, against every rule of its style
 * sheet, in the middle of the queue's first render, and the new width renders the table a second time before it is painted.
 * A table without a fixed or sticky header (all of the console's: no `scroll.y`, no `sticky`) never reads the width: it is
 * measured on that table's `…-content` element (a fixed header's body is `…-body`), and here it is not measured at all.
 * The console's build resolves the table's import of '@rc-component/util' to this module (vite.config.mts, `tableUtil`).
 */
import { getTargetScrollBarSize as measure } from '@rc-component/util';

export * from '@rc-component/util';

export function getTargetScrollBarSize(target: HTMLElement): ReturnType<typeof measure> {
  // The table's own element names: `${prefixCls}-content` holds a table whose header scrolls with its rows.
  if (target instanceof Element && Array.from(target.classList).some((name) => name.endsWith('-content'))) return { width: 0, height: 0 };
  return measure(target);
}
