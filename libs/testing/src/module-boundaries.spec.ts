/** The lint rules that keep the architecture honest actually fire. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/** Lints `code` as if it were `file`, in a child process (ESLint's config is ESM). */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/eslint/bin/eslint.js'),
      '--stdin',
      '--stdin-filename',
      file,
      '--format',
      'json',
    ],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
  return result.messages
    .filter(
      (m) => m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-imports',
    )
    .map((m) => m.message);
}

describe('module boundaries', () => {
  jest.setTimeout(30_000);
  it('forbids libs/domain from importing Nest', async () => {
    const errors = await boundaryErrors(
      'libs/domain/src/bad.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    );
    expect(errors.join('\n')).toMatch(/type:domain.*not allowed to import "@nestjs\/common"/);
  });

  it('forbids libs/domain from importing Node I/O', async () => {
    const errors = await boundaryErrors(
      'libs/domain/src/bad.ts',
      "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
    );
    expect(errors.join('\n')).toMatch(/node:fs.*The pure core must not use Node I\/O/);
  });

  it('forbids a lib from importing an app', async () => {
    const errors = await boundaryErrors(
      'libs/config/src/bad.ts',
      "import { loadApiConfig } from '../../../apps/api/src/config';\nexport const y = loadApiConfig;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('forbids an app from importing another app', async () => {
    const errors = await boundaryErrors(
      'apps/edge/src/bad.ts',
      "import { loadApiConfig } from '../../api/src/config';\nexport const y = loadApiConfig;\n",
    );
    expect(errors.length).toBeGreaterThan(0);
  });

  it('allows an app to import the shared domain lib', async () => {
    expect(
      await boundaryErrors(
        'apps/edge/src/ok.ts',
        "import { topics } from '@iotmon/domain';\nexport const t = topics;\n",
      ),
    ).toEqual([]);
  });
});
