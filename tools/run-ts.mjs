#!/usr/bin/env node
// Compiles the workspace (tools/compile.mjs) and runs one TypeScript entry point with node.
// Usage: node tools/run-ts.mjs <path/to/file.ts> [args...]
import { spawn } from 'node:child_process';
import { compile, distPath } from './compile.mjs';

const [file, ...args] = process.argv.slice(2);
if (!file || file === '--help') {
  console.log('usage: node tools/run-ts.mjs <path/to/file.ts> [args...]');
  process.exit(file ? 0 : 1);
}
compile({ quiet: true });
const child = spawn(process.execPath, ['--enable-source-maps', distPath(file), ...args], {
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
