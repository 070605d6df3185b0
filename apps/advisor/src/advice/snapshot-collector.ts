/**
 * Builds a Snapshot from the live read-only sources every evaluation interval: metric series,
 * recent log lines, the SQL templates (each at its own pace), the database probe and the
 * checkpoint counters (both kept as short rings, since the detectors look at their history).
 * A source that fails leaves its table empty or stale; it never stops the others.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { LogLine, Row, Series, Snapshot, Tables } from '../detectors';
import { CertificateChecker } from '../sources/certificate-checker';
import { SQL_TEMPLATES } from '../sources/fleet-queries';
import { FleetReader } from '../sources/fleet-reader';
import { LOGS_SOURCE, type LogsSource } from '../sources/logs-source';
import { METRICS_SOURCE, type MetricsSource } from '../sources/metrics-source';

const WINDOW_MS = 10 * 60_000;
const RING_MS = 10 * 60_000;

@Injectable()
export class SnapshotCollector {
  private readonly log = new Logger('SnapshotCollector');
  private readonly tables: Tables = {};
  private readonly ranAt = new Map<string, number>();
  private probes: Row[] = [];
  private checkpoints: Row[] = [];
  private failures = new Map<string, string>();

  constructor(
    private readonly fleet: FleetReader,
    private readonly certs: CertificateChecker,
    @Inject(METRICS_SOURCE) private readonly metrics: MetricsSource,
    @Inject(LOGS_SOURCE) private readonly logs: LogsSource,
  ) {}

  /** Which sources failed on the last collection, by name: shown with the findings. */
  get sourceErrors(): Record<string, string> {
    return Object.fromEntries(this.failures);
  }

  async collect(now = Date.now()): Promise<Snapshot> {
    const probe = await this.fleet.probe(now);
    this.probes = [...this.probes, probe].filter(
      (r) => Date.parse(String(r['at'])) > now - RING_MS,
    );
    const dbUp = probe['ok'] === true;
    const [series, logs] = await Promise.all([
      this.guard('metrics', () => this.metrics.series(WINDOW_MS), [] as Series[]),
      this.guard('logs', () => this.logs.recent(WINDOW_MS), [] as LogLine[]),
      dbUp ? this.refreshTables(now) : Promise.resolve(),
    ]);
    return {
      at: now,
      series,
      logs,
      tables: { ...this.tables, db_probe: this.probes, checkpointer: this.checkpoints },
    };
  }

  private async refreshTables(now: number): Promise<void> {
    const due = (name: string, every: number) => (this.ranAt.get(name) ?? 0) <= now - every;
    const jobs: Promise<unknown>[] = SQL_TEMPLATES.filter((t) => due(t.name, t.everyMs)).map(
      async (t) => {
        const rows = await this.guard(
          `sql:${t.name}`,
          () => this.fleet.template(t.name),
          undefined,
        );
        if (rows) {
          (this.tables as Record<string, Row[]>)[t.name] = rows;
          this.ranAt.set(t.name, now);
        }
      },
    );
    if (due('retention', 60_000))
      jobs.push(
        this.guard('sql:retention', () => this.fleet.retention(), undefined).then(
          (r) => r && ((this.tables.retention = r), this.ranAt.set('retention', now)),
        ),
      );
    if (due('checkpointer', 30_000))
      jobs.push(
        this.guard('sql:checkpointer', () => this.fleet.checkpointer(), undefined).then((r) => {
          if (!r) return;
          this.checkpoints = [...this.checkpoints, r].filter(
            (x) => Date.parse(String(x['at'])) > now - RING_MS,
          );
          this.ranAt.set('checkpointer', now);
        }),
      );
    if (due('certificates', 3_600_000))
      jobs.push(
        this.guard('tls', () => this.certs.check(), undefined).then(
          (r) => r && ((this.tables.certificates = r), this.ranAt.set('certificates', now)),
        ),
      );
    await Promise.all(jobs);
  }

  private async guard<T, F>(name: string, fn: () => Promise<T>, fallback: F): Promise<T | F> {
    try {
      const v = await fn();
      this.failures.delete(name);
      return v;
    } catch (e) {
      const msg = (e as Error).message;
      if (this.failures.get(name) !== msg) this.log.warn(`${name} failed: ${msg}`);
      this.failures.set(name, msg);
      return fallback;
    }
  }
}
