/**
 * Ant Design's style sheet in two steps. The page links the rules of the components its first screen draws (the build's
 * `virtual:antd-first-screen.css`, vite.config.mts), so that the style recalculations and layouts of its first render
 * match against them only, not against the whole 982 KB sheet. The whole sheet follows once the first screen is painted,
 * before any other screen or the queue's filter form is drawn: whole, so that every rule, the first screen's included,
 * keeps its place in Ant Design's order and the cascade is the sheet's own.
 */
let painted: () => void = () => undefined;
const firstScreenPainted = new Promise<void>((resolve) => { painted = resolve; });
let loading: Promise<unknown> | undefined;

/** The first screen is committed: the whole sheet may load once that frame is painted (a task after the next animation frame). */
export function firstScreenCommitted(): void {
  requestAnimationFrame(() => setTimeout(painted, 0));
}

/** Resolves once the whole sheet is in the page (asked at most once, and not before the first screen is painted). */
export function laterStyles(): Promise<unknown> {
  loading ??= firstScreenPainted.then(() => import('./whole-style-sheet'));
  return loading;
}

/** A lazy component's loader that also waits for the whole sheet: the component is never drawn without its styles. */
export function withLaterStyles<Module>(load: () => Promise<Module>): () => Promise<Module> {
  return () => Promise.all([load(), laterStyles()]).then(([module]) => module);
}
