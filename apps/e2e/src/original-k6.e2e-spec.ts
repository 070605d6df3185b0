/**
 * The original system's clients against `npm start`: k6 scripts run unchanged by the
 * k6-compatible runner (a real process), every check must pass. The original repository's
 * own scripts run when ORIGINAL_K6_DIR points at a checkout (fixtures/k6/README.md).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, startLocalStack } from './processes';

interface ScriptCase {
  path: string;
  sha256?: string;
  hosts: string[];
  overrides: { vus?: number; duration?: string };
}

interface Summary {
  root_group: { checks: Record<string, { passes: number; fails: number }> };
  metrics: Record<string, Record<string, number>>;
}

const fixtures = join(root, 'apps/e2e/fixtures/k6');
const manifest = JSON.parse(readFileSync(join(fixtures, 'original-scripts.json'), 'utf8')) as {
  scripts: ScriptCase[];
  ours: ScriptCase[];
};
const originalDir = process.env['ORIGINAL_K6_DIR'] ?? join(root, 'tmp/usp-research-dsa-ant24');
const haveOriginals = manifest.scripts.every((s) => existsSync(join(originalDir, s.path)));
if (!haveOriginals) {
  console.warn(
    `original k6 scripts not found under ${originalDir}: only the committed scripts run (set ORIGINAL_K6_DIR)`,
  );
}

describe('the original k6 clients against npm start', () => {
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  let out: string;
  let cli: string;
  let dist: string;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'iotmon-k6-'));
    // One compile for every run of the runner (inside the workspace, so node_modules
    // resolve); start.mjs compiles the apps itself.
    dist = join('tmp', `e2e-k6-${process.pid}`);
    execFileSync(process.execPath, ['tools/compile.mjs', '--out', dist], { cwd: root });
    cli = join(root, dist, 'tools/loadgen/src/cli/k6.js');
    stack = await startLocalStack({ EDGE: '0', POD_NAME: 'pod-e2e', NODE_NAME: 'node-e2e' });
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
    stack?.cleanup();
    rmSync(out, { recursive: true, force: true });
    if (dist) rmSync(join(root, dist), { recursive: true, force: true });
  });

  function runScript(file: string, c: ScriptCase): Summary {
    const api = new URL(stack.apiUrl).host;
    const summaryFile = join(out, `${c.path.replace(/\W/g, '_')}.summary.json`);
    const args = [
      cli,
      '--hosts',
      c.hosts.map((h) => `${h}=${api}`).join(','),
      '--summary-export',
      summaryFile,
    ];
    if (c.overrides.vus) args.push('--vus', String(c.overrides.vus));
    if (c.overrides.duration) args.push('--duration', c.overrides.duration);
    const run = spawnSync(process.execPath, [...args, file], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (run.status !== 0)
      throw new Error(`runner exited ${run.status}:\n${run.stdout}${run.stderr}`);
    return JSON.parse(readFileSync(summaryFile, 'utf8')) as Summary;
  }

  function expectAllChecksPass(summary: Summary): void {
    const checks = Object.values(summary.root_group.checks);
    expect(checks.length).toBeGreaterThan(0);
    for (const c of checks) {
      expect(c).toMatchObject({ fails: 0 });
      expect(c.passes).toBeGreaterThan(0);
    }
    expect(summary.metrics['http_req_failed']['value']).toBe(0);
  }

  it.each(manifest.ours.map((c) => [c.path, c] as const))(
    '%s: every check passes',
    (_name, c) => {
      const summary = runScript(join(fixtures, c.path), c);
      expectAllChecksPass(summary);
    },
    120_000,
  );

  (haveOriginals ? it.each : it.skip.each)(manifest.scripts.map((c) => [c.path, c] as const))(
    'original %s, unchanged: every check passes',
    (_name, c) => {
      const file = join(originalDir, c.path);
      const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
      expect(sha).toBe(c.sha256);
      expectAllChecksPass(runScript(file, c));
    },
    120_000,
  );
});
