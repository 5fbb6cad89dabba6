import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { GENERATED_DIR, GENERATED_FILES } from '../../scripts/generate-client';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** The first line where two texts part, for a message that says where without printing half a megabyte. */
function firstDifference(committed: string, fresh: string): string {
  const [before, after] = [committed.split('\n'), fresh.split('\n')];
  const index = before.findIndex((line, at) => line !== after[at]);
  const line = index === -1 ? before.length : index;
  return `line ${line + 1}: committed ${JSON.stringify(before[line] ?? '(end of file)')}, generated ${JSON.stringify(after[line] ?? '(end of file)')}`;
}

/**
 * The client's generated files are committed (packages/client/README.md says why): this fails when
 * they no longer match what the API serves, so that a change to the API regenerates them in the
 * same commit. It runs the same command a developer does, into a temporary dir, and compares.
 */
describe('the typed client (packages/client)', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'complaint-desk-client-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is generated from the OpenAPI document the API serves now: npm run client:generate changes nothing', async () => {
    await run(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', join(root, 'scripts', 'generate-client.ts'), '--out', outDir], {
      cwd: root, env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json') }, maxBuffer: 16 * 1024 * 1024,
    });
    const stale = GENERATED_FILES.flatMap((name) => {
      const committed = readFileSync(join(GENERATED_DIR, name), 'utf8');
      const fresh = readFileSync(join(outDir, name), 'utf8');
      return committed === fresh ? [] : [`${relative(root, join(GENERATED_DIR, name))} is stale (run npm run client:generate and commit it): ${firstDifference(committed, fresh)}`];
    });
    expect(stale).toEqual([]);
  }, 180_000);

  it('is shown in the README by an example the type check compiles (packages/client/examples/front-end.ts)', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### A typed client for front-ends'));
    const shown = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(shown).toBe(readFileSync(join(root, 'packages', 'client', 'examples', 'front-end.ts'), 'utf8'));
  });
});
