/**
 * `loadgen dashboards`: draws each Grafana dashboard's panels from the series the real-Prometheus
 * e2e kept (test-artifacts/prometheus/<uid>.json: its queries' results over the run) with the
 * project's SVG line charts, lays them out as the dashboard does, and renders a PNG per
 * dashboard with Debian's headless Chromium. Grafana cannot run here; the picture shows that the
 * metrics exist and move.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeXml, formatTick, lineChart } from '../report/svg';
import { readCli, stringFlag } from './args';

const HELP = `usage: node tools/run-ts.mjs tools/loadgen/src/cli/dashboards.ts [options]
Draws docs/dashboards/<uid>.png from the series the Prometheus e2e wrote
(npx jest -c apps/e2e/jest.e2e.cjs apps/e2e/src/prometheus.e2e-spec.ts).

  --in DIR        the e2e's series (default test-artifacts/prometheus)
  --out DIR       where the PNGs go (default docs/dashboards)
  --chromium BIN  the browser (default chromium)`;

interface PanelData {
  title: string;
  type: string;
  unit: string;
  series: { name: string; points: [number, number][] }[];
}

interface DashboardData {
  uid: string;
  title: string;
  seconds: number;
  panels: PanelData[];
}

const WIDTH = 1500;

function statTile(p: PanelData, width: number): string {
  const last = p.series.flatMap((s) => s.points.slice(-1).map((pt) => pt[1]));
  const value = last.length ? last.reduce((a, b) => a + b, 0) : NaN;
  const text = Number.isFinite(value)
    ? p.unit === 'percentunit'
      ? `${(value * 100).toFixed(1)}%`
      : p.unit === 'bytes'
        ? `${formatTick(value / 1e6)} MB`
        : p.unit === 's'
          ? `${formatTick(value)} s`
          : formatTick(value)
    : 'no data';
  return `<div class="stat" style="width:${width}px"><div class="t">${escapeXml(p.title)}</div><div class="v">${text}</div></div>`;
}

function page(d: DashboardData): string {
  const rows: PanelData[][] = [];
  for (const p of d.panels) {
    const row = rows[rows.length - 1];
    if (row && row[0].type === p.type && row.length < (p.type === 'stat' ? 4 : 3)) row.push(p);
    else rows.push([p]);
  }
  const body = rows
    .map((row) => {
      const w = Math.floor((WIDTH - 16 * row.length) / row.length);
      const cells = row.map((p) =>
        p.type === 'stat'
          ? statTile(p, w)
          : `<div class="panel">${lineChart({
              title: p.title,
              xLabel: 'seconds into the run',
              yLabel: p.unit,
              series: p.series,
              width: w,
              height: 300,
            })}</div>`,
      );
      return `<div class="row">${cells.join('')}</div>`;
    })
    .join('\n');
  return `<!doctype html><meta charset="utf-8"><style>
body{margin:0;padding:12px;background:#f4f5f5;font-family:system-ui,sans-serif;width:${WIDTH}px}
h1{font-size:20px;margin:4px 4px 10px}.sub{color:#555;font-size:13px;margin:0 4px 12px}
.row{display:flex;gap:16px;margin-bottom:16px}.panel{background:#fff;border:1px solid #ddd}
.stat{background:#fff;border:1px solid #ddd;padding:10px;box-sizing:border-box}
.stat .t{font-size:14px;font-weight:600}.stat .v{font-size:36px;color:#2c7a3f;margin-top:8px}
</style><h1>${escapeXml(d.title)}</h1>
<p class="sub">Each panel is the dashboard's query, evaluated by a real Prometheus scraping the stack every second for ${Math.round(d.seconds)} s of work (apps/e2e/src/prometheus.e2e-spec.ts).</p>
${body}`;
}

export function main(argv: string[]): number {
  const args = readCli(argv, HELP, ['in', 'out', 'chromium']);
  if (!args) return 0;
  const inDir = stringFlag(args, 'in') ?? 'test-artifacts/prometheus';
  const outDir = stringFlag(args, 'out') ?? 'docs/dashboards';
  const chromium = stringFlag(args, 'chromium') ?? 'chromium';
  const files = readdirSync(inDir).filter((f) => f.endsWith('.json'));
  if (!files.length) throw new Error(`no dashboard series in ${inDir} (run the Prometheus e2e)`);
  mkdirSync(outDir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'iotmon-dashboards-'));
  try {
    for (const f of files) {
      const d = JSON.parse(readFileSync(join(inDir, f), 'utf8')) as DashboardData;
      const html = join(tmp, `${d.uid}.html`);
      writeFileSync(html, page(d));
      const height = 120 + Math.ceil(d.panels.length / 3) * 330;
      const png = join(process.cwd(), outDir, `${d.uid}.png`);
      execFileSync(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--hide-scrollbars',
          `--window-size=${WIDTH + 24},${height}`,
          `--screenshot=${png}`,
          `file://${html}`,
        ],
        { stdio: 'ignore' },
      );
      console.log(`${d.uid}: ${d.panels.length} panels -> ${png}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exit(main(process.argv.slice(2)));
  } catch (err) {
    console.error(`loadgen dashboards: ${(err as Error).message}`);
    process.exit(2);
  }
}
