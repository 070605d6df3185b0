/** `import-x/no-cycle` (eslint.config.mjs) fires on a real two-file cycle and not on a chain. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/** Lints `files` (name -> code), written to a scratch folder inside the workspace, removed after. */
function cycleErrors(files: Record<string, string>, lint: string): string[] {
  // Inside src: the resolver and the `**/*.ts` config apply exactly as to real code.
  const dir = mkdtempSync(join(__dirname, 'cycle-fixture-'));
  try {
    for (const [name, code] of Object.entries(files)) writeFileSync(join(dir, name), code);
    const run = spawnSync(
      process.execPath,
      [join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', join(dir, lint)],
      { cwd: root, encoding: 'utf8' },
    );
    // Outside an nx run, @nx/enforce-module-boundaries prints a warning before the JSON.
    const [result] = JSON.parse(run.stdout.slice(run.stdout.indexOf('[{'))) as {
      messages: { ruleId: string; message: string }[];
    }[];
    return result.messages.filter((m) => m.ruleId === 'import-x/no-cycle').map((m) => m.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('import cycles', () => {
  jest.setTimeout(30_000);

  it('fails lint on a two-file cycle', () => {
    const errors = cycleErrors(
      {
        'a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      },
      'a.ts',
    );
    expect(errors.join('\n')).toMatch(/Dependency cycle detected/);
  });

  it('lets a one-way chain pass', () => {
    const errors = cycleErrors(
      {
        'a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'b.ts': 'export const b = 1;\n',
      },
      'a.ts',
    );
    expect(errors).toEqual([]);
  });
});
