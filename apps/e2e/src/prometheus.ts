/** Debian's Prometheus and postgres_exporter as real processes, and a small client of its HTTP API. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, start, type Proc } from './processes';

export const chartDir = join(root, 'helm/iotmon');

export function commandAvailable(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

export interface ScrapeTarget {
  job: string;
  component: string;
  address: string;
}

/** Prometheus scraping `targets` every second and evaluating `ruleFiles` every second. */
export function startPrometheus(
  port: number,
  targets: ScrapeTarget[],
  ruleFiles: string[],
): Proc & { cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'iotmon-prometheus-'));
  // JSON is YAML: no YAML writer needed.
  const config = {
    global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: ruleFiles,
    scrape_configs: targets.map((t) => ({
      job_name: t.job,
      static_configs: [{ targets: [t.address], labels: { component: t.component } }],
    })),
  };
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const proc = start('prometheus', 'prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
  return { ...proc, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** prometheus-postgres-exporter (Debian) reading `databaseUrl`, on 127.0.0.1:`port`. */
export function startPostgresExporter(port: number, databaseUrl: string): Proc {
  const url = new URL(databaseUrl);
  url.searchParams.set('sslmode', 'disable');
  return start(
    'postgres-exporter',
    'prometheus-postgres-exporter',
    [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { DATA_SOURCE_NAME: url.toString() },
  );
}

export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export class PromClient {
  constructor(private readonly base: string) {}

  private async api<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${this.base}/api/v1/${path}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success')
      throw new Error(`${path} ${params['query'] ?? ''}: ${body.error}`);
    return body.data;
  }

  async instant(query: string): Promise<PromSeries[]> {
    return (await this.api<{ result: PromSeries[] }>('query', { query })).result;
  }

  async range(query: string, start: number, end: number, step: number): Promise<PromSeries[]> {
    const data = await this.api<{ result: PromSeries[] }>('query_range', {
      query,
      start: String(start),
      end: String(end),
      step: String(step),
    });
    return data.result;
  }

  async rules(): Promise<PromRule[]> {
    const data = await this.api<{ groups: { rules: PromRule[] }[] }>('rules');
    return data.groups.flatMap((g) => g.rules);
  }

  async ready(): Promise<boolean> {
    return fetch(`${this.base}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
  }
}

export interface PromRule {
  name: string;
  query: string;
  type: 'alerting' | 'recording';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
}

/**
 * An alert's signal: its expression without the final `<op> <number>` threshold. The rule
 * files write every alert that way (helm/iotmon/rules/iotmon.rules.yml), so the signal is
 * what must return data on a healthy stack; the alert itself fires only when it is bad.
 */
export function alertSignal(query: string): string {
  const m = /^(.*\S)\s*(?:>=|<=|==|!=|>|<)\s*-?[\d.]+(?:e[+-]?\d+)?$/s.exec(query.trim());
  if (!m) throw new Error(`alert expression is not "<signal> <op> <number>": ${query}`);
  return m[1];
}

export interface DashboardPanel {
  title: string;
  type: string;
  unit: string;
  targets: { expr: string; legendFormat: string }[];
}

export interface Dashboard {
  uid: string;
  title: string;
  file: string;
  panels: DashboardPanel[];
}

/** The committed Grafana dashboards (helm/iotmon/dashboards/*.json), as their queries. */
export function loadDashboards(): Dashboard[] {
  const dir = join(chartDir, 'dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const d = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
        uid: string;
        title: string;
        panels: {
          title: string;
          type: string;
          fieldConfig?: { defaults?: { unit?: string } };
          targets: { expr: string; legendFormat?: string }[];
        }[];
      };
      return {
        uid: d.uid,
        title: d.title,
        file,
        panels: d.panels.map((p) => ({
          title: p.title,
          type: p.type,
          unit: p.fieldConfig?.defaults?.unit ?? 'short',
          targets: p.targets.map((t) => ({ expr: t.expr, legendFormat: t.legendFormat ?? '' })),
        })),
      };
    });
}

/** Grafana's `$__rate_interval` for a 1-s scrape: four scrape intervals. */
export const withRateInterval = (expr: string) => expr.replaceAll('$__rate_interval', '15s');

/** A series name the way Grafana's legend format spells it (`{{label}}` substituted). */
export function legend(format: string, metric: Record<string, string>): string {
  if (!format || format === '__auto')
    return Object.entries(metric)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
  return format.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => metric[k] ?? '');
}

/** `promtool check metrics` on one exposition: the problems it reports (empty when clean). */
export function promtoolCheckMetrics(text: string): string {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim() || (r.status === 0 ? '' : `exit ${r.status}`);
}
