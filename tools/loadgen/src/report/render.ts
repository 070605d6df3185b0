/** The report as Markdown and as a self-contained HTML page, from the same tables and plots. */
import type { RunStats } from './analyze';
import type { Comparison } from './baseline';
import type { Plot } from './plots';
import { escapeXml } from './svg';

export interface ReportModel {
  title: string;
  generatedAt: string;
  inputs: string[];
  stats: RunStats[];
  comparisons: Comparison[] | null;
  baselineFile: string | null;
  plots: Plot[];
}

interface Table {
  headers: string[];
  rows: string[][];
}

const ms = (v: number) => v.toFixed(v < 10 ? 2 : 1);
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;

function thresholdCell(s: RunStats): string {
  const entries = Object.entries(s.thresholds);
  if (!entries.length) return '–';
  const failed = entries.filter(([, ok]) => !ok).map(([e]) => e);
  return failed.length ? `FAILED: ${failed.join('; ')}` : `pass (${entries.length})`;
}

export function resultsTable(stats: readonly RunStats[]): Table {
  return {
    headers: [
      'runner',
      'workload',
      'distribution',
      'profile',
      'VUs',
      'requests',
      'req/s',
      'errors',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'thresholds',
    ],
    rows: stats.map((s) => [
      s.runner,
      s.workload,
      s.distribution,
      s.profile,
      String(s.vus ?? '?'),
      String(s.requests),
      s.throughput.toFixed(1),
      pct(s.errorRate),
      ms(s.p50),
      ms(s.p95),
      ms(s.p99),
      ms(s.max),
      thresholdCell(s),
    ]),
  };
}

export function comparisonTable(comparisons: readonly Comparison[]): Table {
  const fmt = (c: Comparison, v: number) =>
    c.metric === 'errorRate' ? pct(v) : c.metric === 'throughput' ? v.toFixed(1) : ms(v);
  return {
    headers: ['run', 'metric', 'baseline', 'current', 'change', 'verdict'],
    rows: comparisons.map((c) => [
      c.id,
      c.metric,
      fmt(c, c.baseline),
      fmt(c, c.current),
      Number.isFinite(c.change)
        ? `${c.change >= 0 ? '+' : ''}${(100 * c.change).toFixed(1)}%`
        : 'new',
      c.regression ? '**REGRESSION**' : 'ok',
    ]),
  };
}

function markdownTable(t: Table): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${t.headers.join(' | ')} |`,
    `| ${t.headers.map(() => '---').join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

function regressions(m: ReportModel): Comparison[] {
  return (m.comparisons ?? []).filter((c) => c.regression);
}

export function renderMarkdown(m: ReportModel, plotDir: string): string {
  const lines = [
    `# ${m.title}`,
    '',
    `Generated ${m.generatedAt} from ${m.inputs.length} file(s). Latency is \`http_req_duration\` (MQTT: time to PUBACK);`,
    'error rate counts responses outside the expected statuses; setup requests are excluded.',
    '',
    '## Results by scenario and distribution',
    '',
    markdownTable(resultsTable(m.stats)),
    '',
  ];
  if (m.comparisons) {
    const bad = regressions(m);
    lines.push(
      `## Comparison with baseline \`${m.baselineFile}\``,
      '',
      bad.length
        ? `**${bad.length} regression(s):** ${bad.map((c) => `${c.id} ${c.metric}`).join(', ')}`
        : 'No regressions.',
      '',
      m.comparisons.length
        ? markdownTable(comparisonTable(m.comparisons))
        : '_No run matches a baseline row._',
      '',
    );
  }
  lines.push('## Plots', '');
  for (const p of m.plots)
    lines.push(`### ${p.title}`, '', `![${p.title}](${plotDir}/${p.file})`, '');
  return lines.join('\n');
}

function htmlTable(t: Table): string {
  const cell = (s: string) =>
    escapeXml(s)
      .replace(/\*\*(.+?)\*\*/g, '<strong class="bad">$1</strong>')
      .replace(/^FAILED/, '<strong class="bad">FAILED</strong>');
  return `<table><thead><tr>${t.headers.map((h) => `<th>${escapeXml(h)}</th>`).join('')}</tr></thead><tbody>${t.rows
    .map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

export function renderHtml(m: ReportModel): string {
  const bad = regressions(m);
  const comparison = m.comparisons
    ? `<h2>Comparison with baseline <code>${escapeXml(m.baselineFile ?? '')}</code></h2>
<p>${bad.length ? `<strong class="bad">${bad.length} regression(s)</strong>: ${escapeXml(bad.map((c) => `${c.id} ${c.metric}`).join(', '))}` : 'No regressions.'}</p>
${m.comparisons.length ? htmlTable(comparisonTable(m.comparisons)) : '<p><em>No run matches a baseline row.</em></p>'}`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(m.title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; text-align: right; }
th { background: #f3f3f3; } td:nth-child(-n+4) { text-align: left; }
.bad { color: #b00020; }
figure { margin: 1.5rem 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
</style></head>
<body>
<h1>${escapeXml(m.title)}</h1>
<p>Generated ${escapeXml(m.generatedAt)} from ${m.inputs.length} file(s). Latency is <code>http_req_duration</code> (MQTT: time to PUBACK); error rate counts responses outside the expected statuses; setup requests are excluded.</p>
<h2>Results by scenario and distribution</h2>
${htmlTable(resultsTable(m.stats))}
${comparison}
<h2>Plots</h2>
${m.plots.map((p) => `<figure>${p.svg}<figcaption>${escapeXml(p.title)}</figcaption></figure>`).join('\n')}
</body></html>
`;
}
