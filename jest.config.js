/**
 * Jest runs TypeScript through ts-jest in transpile-only mode (fast; decorator metadata kept, as
 * Nest needs). `npm run typecheck`, which `npm test` runs first, does the type checking.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] };

const moduleNameMapper = {
  '^@app/(domain|event-sourcing|event-store|complaints|customers|read-store|projections|read-models|sqlite)$': '<rootDir>/libs/$1/src',
  '^@app/(domain|event-sourcing|event-store|complaints|customers|read-store|projections|read-models|sqlite)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

const common = { transform, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.contract-spec.ts'] },
    { ...common, displayName: 'crash', testMatch: ['<rootDir>/test/crash/**/*.crash-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/architecture/**/*.spec.ts', '<rootDir>/test/bench/**/*.spec.ts'] },
  ],
};
