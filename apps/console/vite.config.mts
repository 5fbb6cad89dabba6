import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { defineConfig, runnerImport, type Plugin } from 'vite';

/** The budget for the JavaScript a first visit loads (the entry and what it imports statically), gzip. */
const INITIAL_JS_BUDGET_BYTES = 400 * 1024;

/** Prints the initial JavaScript's gzip size after each build and fails the build over the budget. */
function initialJavaScriptBudget(): Plugin {
  return {
    name: 'initial-javascript-budget',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])));
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const imported of chunks.get(name)?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);
      const bytes = [...initial].reduce((sum, name) => sum + gzipSync(chunks.get(name)!.code, { level: 9 }).length, 0);
      const lazy = [...chunks.keys()].filter((name) => !initial.has(name));
      this.info(`initial JavaScript: ${(bytes / 1024).toFixed(1)} KB gzip in ${initial.size} file(s), budget ${INITIAL_JS_BUDGET_BYTES / 1024} KB; loaded on demand: ${lazy.length} file(s)`);
      if (bytes > INITIAL_JS_BUDGET_BYTES && process.env['CONSOLE_BUDGET'] !== 'off') this.error(`the initial JavaScript is ${(bytes / 1024).toFixed(1)} KB gzip, over the budget of ${INITIAL_JS_BUDGET_BYTES / 1024} KB`);
    },
  };
}

/**
 * Writes a .gz and a .br beside each script and style sheet: the API serves them to browsers that
 * accept them (@fastify/static preCompressed), so a first visit loads what the budget measures,
 * with no compression work per request.
 */
function precompressed(): Plugin {
  return {
    name: 'precompressed-assets',
    apply: 'build',
    // After the files are written: Vite's own plugins change the chunks' code until then.
    writeBundle(options, bundle) {
      for (const item of Object.values(bundle)) {
        if (!/\.(js|css)$/.test(item.fileName)) continue;
        const file = join(options.dir!, item.fileName);
        const source = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(source, { params: { [zlib.BROTLI_PARAM_QUALITY]: 9 } }));
      }
    },
  };
}

const root = fileURLToPath(new URL('.', import.meta.url));

const FIRST_REQUESTS = 'first-requests';

/**
 * src/first-requests.ts as an entry of its own, an async script before the console's in index.html: Vite would bundle every
 * script of the page into one entry, whose code runs only once all of its chunks are loaded. On its own, the first
 * screen's requests leave as soon as this small script (and the small chunks it shares with the console: the API
 * client) has loaded, while the rest still loads and runs; the module instances it shares are the console's own.
 */
function firstRequestsScript(): Plugin {
  return {
    name: 'first-requests-script',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunk = Object.values(context.bundle ?? {}).find((item) => item.type === 'chunk' && item.isEntry && item.name === FIRST_REQUESTS);
        if (!chunk) throw new Error(`the build has no ${FIRST_REQUESTS} entry`);
        // async: run as soon as it is loaded; a deferred script (the console's) waits for the style sheet besides.
        return [{ tag: 'script', attrs: { type: 'module', async: true, crossorigin: true, src: `/${chunk.fileName}` }, injectTo: 'head-prepend' }];
      },
    },
  };
}

/** rc-util's module that adds <style> elements, and the console's own in its place, which gives them the page's nonce. */
const RC_DYNAMIC_CSS = /[\\/]@rc-component[\\/]util[\\/]es[\\/]Dom[\\/]dynamicCSS\.js$/;
const NONCED_DYNAMIC_CSS = fileURLToPath(new URL('src/shared/csp/dynamic-css.ts', import.meta.url));

/**
 * Every import of @rc-component/util's dynamicCSS (by the package's index, or by its own modules, relatively)
 * resolves to src/shared/csp/dynamic-css.ts, except the one that module makes itself: the styles it adds
 * (a scrollbar's measure, a dialog's scroll lock) then carry the nonce, and the Content-Security-Policy admits them.
 */
function styleNonce(): Plugin {
  return {
    name: 'rc-util-style-nonce',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!/dynamicCSS(\.js)?$/.test(source) || importer === NONCED_DYNAMIC_CSS) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && RC_DYNAMIC_CSS.test(resolved.id) ? NONCED_DYNAMIC_CSS : null;
    },
  };
}

/** Ant Design's table (the module that measures its scrollbar), and the console's view of rc-util for it. */
const RC_TABLE = /[\\/]@rc-component[\\/]table[\\/]es[\\/]Table\.js$/;
const TABLE_UTIL = fileURLToPath(new URL('src/shared/ui/table-util.ts', import.meta.url));

/**
 * The table's import of '@rc-component/util' resolves to src/shared/ui/table-util.ts: the same module, without the
 * scrollbar measure (a forced style recalculation and layout of the page, and a second render) for a table whose header
 * is not fixed, which never uses the width.
 */
function tableUtil(): Plugin {
  return {
    name: 'rc-table-util',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === '@rc-component/util' && importer !== undefined && RC_TABLE.test(importer) ? TABLE_UTIL : null;
    },
  };
}

const MAP_TOKENS = 'virtual:antd-map-tokens';
const THEME_MODULE = fileURLToPath(new URL('src/app/theme.ts', import.meta.url));
const THEME_ALGORITHM_MODULE = fileURLToPath(new URL('src/app/theme-algorithm.ts', import.meta.url));
/** The module runner's own configuration: none read from a file (this one), nothing printed. */
const RUNNER_CONFIG = { configFile: false as const, logLevel: 'silent' as const };


/**
 * `virtual:antd-map-tokens`: Ant Design's default theme algorithm run here, at build time, on the console's seeds
 * (src/app/theme.ts), so that the browser does not derive the same map tokens (colour palettes, sizes) on every start
 * (src/app/theme-algorithm.ts). The installed antd's own algorithm and default seed (its CommonJS build, for Node).
 */
function antdMapTokens(): Plugin {
  const resolved = `\0${MAP_TOKENS}`;
  return {
    name: 'antd-map-tokens',
    resolveId: (source) => (source === MAP_TOKENS ? resolved : null),
    async load(id) {
      if (id !== resolved) return null;
      // The console's TypeScript modules through Vite's module runner, as the console's code sees them: imported by the
      // config itself, they were bundled into it and would not load with Node's own loader (`configLoader: 'native'`).
      const [{ module: theme }, { module: themeAlgorithm }] = await Promise.all([
        runnerImport<typeof import('./src/app/theme.ts')>(THEME_MODULE, RUNNER_CONFIG),
        runnerImport<typeof import('./src/app/theme-algorithm.ts')>(THEME_ALGORITHM_MODULE, RUNNER_CONFIG),
      ]);
      const { consoleSeeds } = theme;
      const { precomputeMapTokens } = themeAlgorithm;
      const require = createRequire(import.meta.url);
      const algorithm = (require('antd/lib/theme/themes/default/index.js') as { default: (seed: object) => object }).default;
      const seed = (require('antd/lib/theme/themes/seed.js') as { default: object }).default;
      return `export default ${JSON.stringify(precomputeMapTokens(consoleSeeds(seed), algorithm))};`;
    },
  };
}

/**
 * React Router's production build. The package's exports name its development build for every condition (a stop-gap of
 * its maintainers, remix-run/react-router#12532), so a bundler picks it for production too: the same code with its
 * development warnings switched on (`ENABLE_DEV_WARNINGS`), checked on every route match and link. Its production build,
 * the same modules with them off, beside it in the package.
 */
const REACT_ROUTER_PRODUCTION = (() => {
  const development = createRequire(import.meta.url).resolve('react-router');
  const production = development.replace(/([\\/]dist[\\/])development([\\/])index\.m?js$/, '$1production$2index.mjs');
  if (production === development || !existsSync(production)) throw new Error(`React Router's production build is not beside ${development}: see REACT_ROUTER_PRODUCTION`);
  return production;
})();

/**
 * The console is built to static files that the API serves at / (apps/api/src/http/console.ts).
 * JSX goes through Vite's own transform (oxc) with React's automatic runtime; no dev-only plugin is
 * needed for a production build.
 */
export default defineConfig({
  root,
  base: '/',
  publicDir: 'public',
  oxc: { jsx: { runtime: 'automatic' } },
  resolve: { alias: [{ find: /^react-router$/, replacement: REACT_ROUTER_PRODUCTION }] },
  plugins: [styleNonce(), tableUtil(), antdMapTokens(), initialJavaScriptBudget(), precompressed(), firstRequestsScript()],
  build: {
    outDir: fileURLToPath(new URL('../../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    // The console's budget is on the initial JavaScript (gzip), checked by the build report.
    chunkSizeWarningLimit: 1500,
    // Vite's module-preload polyfill is an inline-free file too, but modern Chromium needs none.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { index: fileURLToPath(new URL('index.html', import.meta.url)), [FIRST_REQUESTS]: fileURLToPath(new URL('src/first-requests.ts', import.meta.url)) },
      output: {
        // The first requests' script and the two modules it needs (the API client, the queue's filter) in one file, which the console's code imports
        // too: one small download before the requests leave, not a second one behind the others (a browser opens six connections to the server).
        // Then everything else the first screen needs statically in three files, not a dozen small ones (fetched over the browser's six
        // connections in rounds) nor one: React, Ant Design (its components of the shell and the queue, with rc-component's), and the
        // console's own modules. Chromium parses each script on a background thread of its own while it arrives, and the first
        // screen's code runs only once the last is parsed: one 1.1 MB file was parsed alone, for 150–180 ms of a load on the bench's
        // machine while the main thread waited; three are parsed side by side (README, the console's performance). The screens
        // loaded on demand keep their own chunks.
        codeSplitting: {
          groups: [
            { name: FIRST_REQUESTS, priority: 4, test: /[\\/]src[\\/](first-requests|shared[\\/]api[\\/]client|features[\\/]complaints[\\/]queue-filter)\.ts$/ },
            { name: 'react', priority: 3, tags: ['$initial'], test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'antd', priority: 2, tags: ['$initial'], test: /[\\/]node_modules[\\/](antd|@rc-component|@ant-design)[\\/]/ },
            { name: 'first-screen', priority: 1, tags: ['$initial'] },
          ],
        },
      },
      // Ant Design marks its modules "use client" for React Server Components; a browser bundle has no use for it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
