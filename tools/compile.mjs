#!/usr/bin/env node
// Compiles apps/ and libs/ TypeScript to dist/ with swc (path aliases rewritten, decorator
// metadata kept). Takes about a second; type checking is the `build` targets' job (tsc).
// Benches (`<project>/bench/`) never go into dist/: run-ts.mjs compiles them elsewhere.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function compile({ quiet = false, outDir = 'dist', sources, benches = false } = {}) {
  const swc = join(root, 'node_modules/.bin/swc');
  const dirs = sources ?? ['apps', 'libs', 'tools'].filter((d) => existsSync(join(root, d)));
  const args = [
    ...dirs,
    '-d',
    outDir,
    '--config-file',
    '.swcrc',
    '--copy-files',
    '--ignore',
    `**/*.spec.ts,**/*.integration-spec.ts,**/node_modules/**,**/*.mjs,**/*.cjs,**/*.sh,**/*.md,apps/dashboard/public/**${benches ? '' : ',**/bench/**'}`,
  ];
  execFileSync(swc, args, { cwd: root, stdio: quiet ? 'ignore' : ['ignore', 'ignore', 'inherit'] });
}

/** dist/ (or `outDir`) path of a source .ts file given relative to the workspace root. */
export function distPath(tsFile, outDir = 'dist') {
  return join(root, outDir, tsFile.replace(/\.ts$/, '.js'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    console.log(
      'usage: node tools/compile.mjs [--out DIR] [--benches]  — compile apps/, libs/, tools/ into dist/ (or DIR); --benches: with the <project>/bench/ folders (never for dist/)',
    );
    process.exit(0);
  }
  const out = args.indexOf('--out');
  compile({ outDir: out >= 0 ? args[out + 1] : 'dist', benches: args.includes('--benches') });
}
