#!/usr/bin/env node
// Adds lockfile entries for platform-specific optional packages (e.g. @swc/core-darwin-arm64)
// that this machine's registry does not serve. Without them `npm ci` refuses the lockfile as
// "out of sync". Each entry carries os/cpu (from its name), so npm skips it on other
// platforms and fetches it normally where it applies. Runs as the root postinstall.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './compile.mjs';

if (process.argv.includes('--help')) {
  console.log('usage: node tools/lockfile-platform-entries.mjs  — complete package-lock.json with platform packages');
  process.exit(0);
}

const OS = ['darwin', 'linux', 'win32', 'freebsd', 'android', 'openharmony', 'sunos', 'aix', 'netbsd', 'openbsd'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'wasm32'];

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.find((p) => CPU.includes(p)) ?? (parts.includes('armv7') ? 'arm' : undefined);
  const libc = parts.find((p) => /^(gnu|musl)/.test(p))?.replace(/eabihf$/, '');
  return os && cpu ? { os, cpu, libc: libc === 'gnu' ? 'glibc' : libc } : undefined;
}

const file = join(root, 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const pkgs = lock.packages;

/** Where npm would look for `name` from the package at `from` (walking up node_modules). */
function resolves(from, name) {
  let dir = from;
  for (;;) {
    if (pkgs[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
    if (!dir) return false;
    const i = dir.lastIndexOf('node_modules/');
    dir = i <= 0 ? '' : dir.slice(0, i - 1);
  }
}

let added = 0;
for (const [path, meta] of Object.entries({ ...pkgs })) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    if (resolves(path, name)) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    const top = `node_modules/${name}`;
    const at = pkgs[top] ? `${path}/node_modules/${name}` : top;
    pkgs[at] = {
      version,
      cpu: [platform.cpu],
      os: [platform.os],
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
    };
    added++;
  }
}
if (added) {
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`lockfile: added ${added} platform package entries`);
}
