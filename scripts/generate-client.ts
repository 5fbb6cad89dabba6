/**
 * npm run client:generate [-- --out DIR]
 *
 * Writes the OpenAPI document the API serves at /docs-json, and the TypeScript types openapi-typescript
 * makes of it, into packages/client/src/generated/ (or DIR): openapi.json and schema.ts. No server is
 * started: the app is built in-process, exactly as `npm start` builds it (createApp), on the embedded
 * stores in a temporary data dir, and asked for its document through fastify's inject (no socket).
 * The client's staleness test (test/e2e/client-schema.e2e-spec.ts) runs this with --out and compares.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadApiConfig } from '../apps/api/src/config/api-config';
import { createApp } from '../apps/api/src/http/create-app';

const ROOT = join(__dirname, '..');
export const GENERATED_DIR = join(ROOT, 'packages', 'client', 'src', 'generated');
export const GENERATED_FILES = ['openapi.json', 'schema.ts'] as const;

/** The document as GET /docs-json answers it, from an app that never listens. */
export async function servedOpenApiDocument(): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'complaint-desk-openapi-'));
  try {
    // The composition root's own validation, from a fixed environment: nothing of this machine's leaks in.
    const config = loadApiConfig({ DATA_DIR: dataDir, SEALS: 'off', PROJECTIONS: 'inline', LOG_LEVEL: 'silent' });
    const app = await createApp({ config, tokens: [], logger: false });
    try {
      await app.init();
      const fastify = app.getHttpAdapter().getInstance();
      await fastify.ready();
      const answer = await fastify.inject({ method: 'GET', url: '/docs-json' });
      if (answer.statusCode !== 200) throw new Error(`GET /docs-json answered ${answer.statusCode}: ${answer.body.slice(0, 200)}`);
      return JSON.parse(answer.body) as unknown;
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** openapi.json and schema.ts in `outDir`. */
export async function generateClientSources(outDir: string): Promise<void> {
  const document = await servedOpenApiDocument();
  mkdirSync(outDir, { recursive: true });
  const documentFile = join(outDir, 'openapi.json');
  writeFileSync(documentFile, `${JSON.stringify(document, null, 2)}\n`);
  // openapi-typescript's own CLI (an ES module), run by this Node: the generator is a tool, not a library of ours.
  const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js');
  execFileSync(process.execPath, [cli, documentFile, '--output', join(outDir, 'schema.ts')], {
    cwd: outDir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
}

if (require.main === module) {
  const outIndex = process.argv.indexOf('--out');
  const outDir = outIndex === -1 ? GENERATED_DIR : resolve(process.argv[outIndex + 1] ?? '.');
  generateClientSources(outDir).then(
    () => process.stdout.write(`wrote ${GENERATED_FILES.join(' and ')} in ${outDir}\n`),
    (error: unknown) => {
      process.stderr.write(`client:generate: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
