/** Results in, report out: reads the files, computes stats, compares, writes MD + HTML + SVG. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStats } from './analyze';
import {
  compare,
  DEFAULT_TOLERANCES,
  parseBaseline,
  toBaseline,
  type Comparison,
  type Tolerances,
} from './baseline';
import { waitsPlot, workloadPlots, type Plot } from './plots';
import { readResults } from './read-results';
import { renderHtml, renderMarkdown, type ReportModel } from './render';

export interface ReportOptions {
  inputs: string[];
  outDir: string;
  title?: string;
  baselineFile?: string;
  saveBaselineFile?: string;
  tolerances?: Tolerances;
}

export interface ReportOutput {
  markdown: string;
  html: string;
  plots: string[];
  regressions: Comparison[];
  runs: number;
}

export async function buildReport(opts: ReportOptions): Promise<ReportOutput> {
  const runs = await readResults(opts.inputs);
  if (!runs.length) throw new Error(`no k6 or loadgen results in ${opts.inputs.join(', ')}`);
  const stats = runs.map(runStats);
  const comparisons = opts.baselineFile
    ? compare(
        stats,
        parseBaseline(readFileSync(opts.baselineFile, 'utf8')),
        opts.tolerances ?? DEFAULT_TOLERANCES,
      )
    : null;
  const workloads = [...new Set(runs.map((r) => r.workload))].sort();
  const plots: Plot[] = [
    ...workloads.flatMap((w) =>
      workloadPlots(
        w,
        runs.filter((r) => r.workload === w),
      ),
    ),
    waitsPlot(),
  ];
  const model: ReportModel = {
    title: opts.title ?? 'Load test report',
    generatedAt: new Date().toISOString(),
    inputs: [...new Set(runs.flatMap((r) => r.files))],
    stats,
    comparisons,
    baselineFile: opts.baselineFile ?? null,
    plots,
  };
  const plotDir = join(opts.outDir, 'plots');
  mkdirSync(plotDir, { recursive: true });
  for (const p of plots) writeFileSync(join(plotDir, p.file), p.svg);
  const markdown = join(opts.outDir, 'report.md');
  const html = join(opts.outDir, 'report.html');
  writeFileSync(markdown, renderMarkdown(model, 'plots'));
  writeFileSync(html, renderHtml(model));
  writeFileSync(join(opts.outDir, 'results.json'), `${JSON.stringify(stats, null, 2)}\n`);
  if (opts.saveBaselineFile)
    writeFileSync(opts.saveBaselineFile, `${JSON.stringify(toBaseline(stats), null, 2)}\n`);
  return {
    markdown,
    html,
    plots: plots.map((p) => join(plotDir, p.file)),
    regressions: (comparisons ?? []).filter((c) => c.regression),
    runs: runs.length,
  };
}
