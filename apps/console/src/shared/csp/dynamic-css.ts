/**
 * @rc-component/util's dynamicCSS with the page's nonce on every <style> it adds. Ant Design passes the
 * nonce of ConfigProvider's `csp` to its own styles, but some of the components under it add styles
 * with no way to pass one: the probe that measures a scrollbar's width (every table) and the rule that
 * locks the page's scrolling under a dialog. The Content-Security-Policy refuses those, and Chromium
 * logs each refusal. The console's build puts this module in place of the original one
 * (vite.config.mts, `styleNonce`), so every style of the page carries the nonce.
 */
import { clearContainerCache, injectCSS as inject, removeCSS, updateCSS as update } from '@rc-component/util/es/Dom/dynamicCSS';
import { cspNonce } from './nonce';

export { clearContainerCache, removeCSS };

type Options = NonNullable<Parameters<typeof inject>[1]>;

const withNonce = (option: Options = {}): Options => (cspNonce === undefined || option.csp?.nonce ? option : { ...option, csp: { ...option.csp, nonce: cspNonce } });

export function injectCSS(css: string, option?: Options): ReturnType<typeof inject> {
  return inject(css, withNonce(option));
}

export function updateCSS(css: string, key: string, option?: Parameters<typeof update>[2]): ReturnType<typeof update> {
  return update(css, key, withNonce(option));
}
