/** Jest runs TypeScript through SWC (decorator metadata on, as Nest needs); `npm run typecheck` does the type checking. */
const swc = ['@swc/jest', {
  swcrc: false,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
}];

const moduleNameMapper = {
  '^@app/(domain|event-sourcing|event-store|complaints)$': '<rootDir>/libs/$1/src',
  '^@app/(domain|event-sourcing|event-store|complaints)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'contract', testMatch: ['<rootDir>/test/contract/**/*.contract-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/architecture/**/*.spec.ts'] },
  ],
};
