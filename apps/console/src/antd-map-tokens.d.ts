/** The console's seeds and Ant Design's map tokens for them, made at build time (vite.config.mts, src/app/theme-algorithm.ts). */
declare module 'virtual:antd-map-tokens' {
  const precomputed: ReadonlyArray<{ seed: object; map: object }>;
  export default precomputed;
}
