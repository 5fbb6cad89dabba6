import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const imports = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)].map((match) => match[1]!);
const production = (files: string[]) => files.filter((file) => !file.endsWith('.spec.ts') && !file.includes('/testing/'));

describe('architecture rules (docs/adr/0001)', () => {
  it('keeps the domain free of frameworks, storage and I/O', () => {
    const offenders = production(sourceFiles(join(root, 'libs/domain/src'))).flatMap((file) =>
      imports(file).filter((module) => !module.startsWith('.') && module !== '@app/event-sourcing').map((module) => `${relative(root, file)} imports ${module}`),
    );
    expect(offenders).toEqual([]);
  });

  it('never lets a library import an app or another library by relative path', () => {
    const offenders = sourceFiles(join(root, 'libs')).flatMap((file) =>
      imports(file).filter((module) => /apps\//.test(module) || /\.\.\/\.\.\/\.\.\//.test(module)).map((module) => `${relative(root, file)} imports ${module}`),
    );
    expect(offenders).toEqual([]);
  });

  it('imports other libraries only through their index (or their testing helpers)', () => {
    const offenders = production([...sourceFiles(join(root, 'libs')), ...sourceFiles(join(root, 'apps'))]).flatMap((file) =>
      imports(file).filter((module) => /^@app\/[a-z-]+\/(?!testing$)/.test(module)).map((module) => `${relative(root, file)} imports ${module}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the workspace packages free of the apps and libraries, so that they build and run without the backend', () => {
    const packages = join(root, 'packages');
    const offenders = production(readdirSync(packages).flatMap((name) => sourceFiles(join(packages, name, 'src')))).flatMap((file) =>
      imports(file).filter((module) => module.startsWith('@app/') || /(^|\/)(apps|libs)\//.test(module) || /^\.\.\/\.\.\//.test(module)).map((module) => `${relative(root, file)} imports ${module}`),
    );
    expect(offenders).toEqual([]);
  });

  it('reads the environment only in the composition roots', () => {
    const offenders = production(sourceFiles(join(root, 'libs')))
      .filter((file) => readFileSync(file, 'utf8').includes('process.env'))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });

  it('keeps the event store port free of any adapter', () => {
    const port = join(root, 'libs/event-store/src/event-store.port.ts');
    expect(imports(port).filter((module) => module.includes('sqlite') || module.includes('kurrent') || module.includes('mongo'))).toEqual([]);
  });

  it('keeps the blob store port free of any adapter', () => {
    const port = join(root, 'libs/blob-store/src/blob-store.port.ts');
    expect(imports(port).filter((module) => module.includes('mongo') || module.includes('fs'))).toEqual([]);
  });
});
