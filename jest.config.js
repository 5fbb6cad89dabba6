/**
 * Jest runs TypeScript through ts-jest in transpile-only mode (fast; decorator metadata kept, as
 * Nest needs). `npm run typecheck`, which `npm test` runs first, does the type checking.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };

const moduleNameMapper = {
  '^@app/(domain|event-sourcing|event-store|complaints|after-sales|customers|read-store|key-store|projections|read-models|notifications|sqlite|blob-store)$': '<rootDir>/libs/$1/src',
  '^@app/(domain|event-sourcing|event-store|complaints|after-sales|customers|read-store|key-store|projections|read-models|notifications|sqlite|blob-store)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

// The npm workspace packages from their sources, as tsconfig.json's paths say (their package.json points at a build).
const workspacePackages = { '^@complaint-desk/client$': '<rootDir>/packages/client/src' };

const common = { transform, moduleNameMapper: { ...moduleNameMapper, ...workspacePackages }, testEnvironment: 'node' };

module.exports = {
  // An e2e test starts a real app and makes durable commits: seconds, not milliseconds, on a busy 2-core machine (jest's default is 5 s).
  testTimeout: 30_000,
  // The apps built for the tests (test/support/built-app.ts) are removed when the run ends.
  globalTeardown: '<rootDir>/test/support/remove-test-builds.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/packages/*/src/**/*.spec.ts'] },
    { ...common, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.contract-spec.ts'] },
    { ...common, displayName: 'crash', testMatch: ['<rootDir>/test/crash/**/*.crash-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/architecture/**/*.spec.ts', '<rootDir>/test/bench/**/*.spec.ts'] },
    // The console in headless Chromium against the real API (npm run test:browser builds the console first).
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
};
