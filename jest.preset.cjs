// Shared Jest settings: @swc/jest with decorator metadata, tsconfig path aliases, UTC clock.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

process.env.TZ = 'UTC';

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias}$`,
    path.join(__dirname, target),
  ]),
);

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

/** Builds a Jest config for one tier ('unit' or 'integration') of one project. */
function tier(projectDir, kind, extra = {}) {
  const pattern = kind === 'unit' ? '**/*.spec.ts' : '**/*.integration-spec.ts';
  return {
    displayName: `${path.basename(projectDir)}:${kind}`,
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: [`<rootDir>/${pattern}`],
    transform: { '^.+\\.(t|j)s$': ['@swc/jest', swc] },
    moduleNameMapper,
    moduleFileExtensions: ['ts', 'js', 'json'],
    // Real processes and sockets: a handle a test failed to close must not hold the run open
    // (one did, for 89 minutes, in CI). `--detectOpenHandles` finds it.
    forceExit: kind !== 'unit',
    ...(kind === 'integration'
      ? {
          globalSetup: path.join(__dirname, 'libs/testing/src/global-setup.mjs'),
          globalTeardown: path.join(__dirname, 'libs/testing/src/global-teardown.mjs'),
          testTimeout: 60_000,
        }
      : {}),
    ...extra,
  };
}

module.exports = { tier, moduleNameMapper, swc };
