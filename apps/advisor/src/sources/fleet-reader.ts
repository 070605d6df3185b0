/**
 * The advisor's only way into PostgreSQL for reading: a small pool logged in as the read-only
 * role (iotmon_advisor, default_transaction_read_only), running the named templates only.
 */
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PgConnections } from '@iotmon/persistence';
import { types } from 'pg';
import type { Row } from '../detectors';
import { ADVISOR_CONFIG, type AdvisorConfig } from '../config';
import { CHECKPOINTER_SQL, RETENTION_SQL, SQL_TEMPLATES } from './fleet-queries';

// count(*) and bigint sizes as numbers: these are counts and byte sizes, far below 2^53.
types.setTypeParser(20, (v) => Number(v));
types.setTypeParser(1700, (v) => Number(v));

const TIMEOUT_MS = 2_000;

@Injectable()
export class FleetReader implements OnApplicationShutdown {
  /** Its own pool: logged in as the read-only role, unlike history's writer (by design). */
  private readonly pg: PgConnections;
  private checkpointerSql = 0;

  constructor(@Inject(ADVISOR_CONFIG) private readonly config: AdvisorConfig) {
    this.pg = PgConnections.open({
      connectionString: config.readDatabaseUrl,
      max: 3,
      connectionTimeoutMillis: TIMEOUT_MS,
      query_timeout: 5_000,
      statement_timeout: 5_000,
      application_name: 'iotmon-advisor',
      options: '-c default_transaction_read_only=on',
    });
  }

  /** Rows of one named template; an unknown name is refused (the LLM can name only these). */
  async template(name: string): Promise<Row[]> {
    const t = SQL_TEMPLATES.find((x) => x.name === name);
    if (!t) throw new Error(`no SQL template named "${name}"`);
    const rows = await this.pg.rows(t.sql);
    return rows.map(serialise);
  }

  async retention(): Promise<Row[]> {
    const rows = await this.pg.rows(RETENTION_SQL, [
      this.config.retentionDays,
      this.config.diskBudgetBytes ?? null,
    ]);
    return rows.map(serialise);
  }

  async checkpointer(): Promise<Row> {
    for (;;) {
      try {
        const rows = await this.pg.rows(CHECKPOINTER_SQL[this.checkpointerSql]);
        return serialise(rows[0]);
      } catch (e) {
        if (
          /does not exist/.test((e as Error).message) &&
          this.checkpointerSql < CHECKPOINTER_SQL.length - 1
        )
          this.checkpointerSql++;
        else throw e;
      }
    }
  }

  /** `SELECT 1` within 2 s: the probe behind database-unreachable. */
  async probe(now = Date.now()): Promise<Row> {
    const started = Date.now();
    try {
      await Promise.race([
        this.pg.rows('SELECT 1'),
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)),
            TIMEOUT_MS,
          ).unref(),
        ),
      ]);
      return {
        at: new Date(now).toISOString(),
        ok: true,
        latency_ms: Date.now() - started,
        error: null,
      };
    } catch (e) {
      return {
        at: new Date(now).toISOString(),
        ok: false,
        latency_ms: Date.now() - started,
        error: errorText(e),
      };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pg.close();
  }
}

function errorText(e: unknown): string {
  const err = e as Error & { code?: string; errors?: Error[] };
  // AggregateError from net (IPv4 and IPv6 both refused) carries the reason inside.
  const inner = err.errors?.[0]?.message;
  return (inner ?? err.message ?? String(e)).slice(0, 200) || (err.code ?? 'error');
}

function serialise(r: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r))
    out[k] = v instanceof Date ? v.toISOString() : (v as Row[string]);
  return out;
}
