#!/usr/bin/env node
// Compiles the workspace (tools/compile.mjs) and runs one TypeScript entry point with node.
// Usage: node tools/run-ts.mjs <path/to/file.ts> [args...]
// A bench (`<project>/bench/…`) is compiled with the tree into tmp/run-ts/ instead of dist/, so
// dist/ (what ships) never holds one; anything else runs from dist/ as the stack does.
import { spawn } from 'node:child_process';
import { compile, distPath } from './compile.mjs';

const [file, ...args] = process.argv.slice(2);
if (!file || file === '--help') {
  console.log('usage: node tools/run-ts.mjs <path/to/file.ts> [args...]');
  process.exit(file ? 0 : 1);
}
const bench = /(^|\/)bench\//.test(file);
const OUT = bench ? 'tmp/run-ts' : 'dist';
compile({ quiet: true, outDir: OUT, benches: bench });
const child = spawn(process.execPath, ['--enable-source-maps', distPath(file, OUT), ...args], {
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
