/**
 * advice_history, the one thing the advisor writes, through its own role that may only insert
 * and read that table. Entries that cannot be written (PostgreSQL away) wait in a bounded
 * queue and are written when it is back, oldest first.
 */
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { PgConnections } from '@iotmon/persistence';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';

export interface HistoryEntry {
  kind: 'finding' | 'resolved' | 'answer';
  at: string;
  actor?: string;
  question?: string;
  findingId?: string;
  severity?: string;
  source: 'detectors' | 'llm';
  body: unknown;
}

export interface HistoryRow extends HistoryEntry {
  id: number;
}

const PENDING_MAX = 1_000;

@Injectable()
export class HistoryRepository implements OnApplicationShutdown {
  private readonly log = new Logger('HistoryRepository');
  /** Its own pool: the history role may write advice_history, the read role may not (by design). */
  private readonly pg: PgConnections;
  private pending: HistoryEntry[] = [];
  private failing = false;

  constructor(@Inject(ADVISOR_CONFIG) config: AdvisorConfig) {
    this.pg = PgConnections.open({
      connectionString: config.historyDatabaseUrl,
      max: 2,
      connectionTimeoutMillis: 2_000,
      query_timeout: 5_000,
      application_name: 'iotmon-advisor-history',
    });
  }

  /** Queues the entries and writes everything queued; false when PostgreSQL refused (kept queued). */
  async append(entries: HistoryEntry[]): Promise<boolean> {
    this.pending.push(...entries);
    if (this.pending.length > PENDING_MAX) {
      this.log.warn(
        `history queue full: ${this.pending.length - PENDING_MAX} oldest entries not kept`,
      );
      this.pending.splice(0, this.pending.length - PENDING_MAX);
    }
    if (!this.pending.length) return true;
    const batch = this.pending;
    try {
      await this.pg.rows(
        `INSERT INTO advice_history (kind, at, actor, question, finding_id, severity, source, body)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])`,
        [
          batch.map((e) => e.kind),
          batch.map((e) => e.at),
          batch.map((e) => e.actor ?? null),
          batch.map((e) => e.question ?? null),
          batch.map((e) => e.findingId ?? null),
          batch.map((e) => e.severity ?? null),
          batch.map((e) => e.source),
          batch.map((e) => JSON.stringify(e.body)),
        ],
      );
      this.pending = this.pending.slice(batch.length);
      if (this.failing) this.log.log(`history written again (${batch.length} queued entries)`);
      this.failing = false;
      return true;
    } catch (e) {
      // Once per outage, not once per evaluation.
      if (!this.failing)
        this.log.warn(
          `history not written, queued until PostgreSQL answers: ${(e as Error).message}`,
        );
      this.failing = true;
      return false;
    }
  }

  async list(limit: number, before?: number, kind?: HistoryEntry['kind']): Promise<HistoryRow[]> {
    const rows = await this.pg.rows(
      `SELECT id, kind, at, actor, question, finding_id, severity, source, body FROM advice_history
        WHERE ($2::bigint IS NULL OR id < $2) AND ($3::text IS NULL OR kind = $3)
        ORDER BY id DESC LIMIT $1`,
      [limit, before ?? null, kind ?? null],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      at: (r.at as Date).toISOString(),
      actor: r.actor ?? undefined,
      question: r.question ?? undefined,
      findingId: r.finding_id ?? undefined,
      severity: r.severity ?? undefined,
      source: r.source,
      body: r.body,
    }));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.pending.length) await this.append([]);
    await this.pg.close();
  }
}
