/**
 * The console's Ant Design theme: the tokens it sets over Ant Design's defaults. Read by App.tsx and, at build time, by
 * the build (apps/console/vite.config.mts), which derives the theme's map tokens from them once (theme-algorithm.ts).
 *
 * Ant Design's defaults for secondary text, links and the status tags' text fall below WCAG AA's 4.5:1
 * on its own light backgrounds (axe-core finds them): darker shades, same hues. A form's field errors
 * ("Required.") are written in colorError (#ff4d4f, 3.3:1 on white): darker in forms only, so that
 * error borders and danger buttons elsewhere keep Ant Design's red.
 */
export const THEME_TOKEN = {
  colorPrimary: '#1456c8',
  colorLink: '#0a4bb0',
  colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
  colorTextDescription: 'rgba(0, 0, 0, 0.68)',
  colorSuccessText: '#2b6a0a',
  colorWarningText: '#7a4500',
  colorErrorText: '#a4161a',
} as const;

export const THEME_COMPONENTS = {
  Form: { colorError: '#a4161a' },
  // The header's links a little closer than Ant Design's 16 px: an admin's eight fit one line at 1280 px (Shell.tsx).
  Menu: { itemPaddingInline: 10 },
} as const;

/**
 * The seeds Ant Design's theme algorithm gets from the console (its default seed, the tokens above, and motion on or off
 * as the person's system asks: App.tsx), in the shape antd's ConfigProvider merges them: `{ ...seed, ...token }`.
 */
export function consoleSeeds<Seed extends object>(defaultSeed: Seed): Array<Seed & typeof THEME_TOKEN & { motion: boolean }> {
  return [true, false].map((motion) => ({ ...defaultSeed, ...THEME_TOKEN, motion }));
}
