/** The audit log: who did what, to what, from where, with which outcome. Append-only. */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { PgConnections } from '@iotmon/persistence';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { actorName, type Principal } from './principal';

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export interface AuditEntryInput {
  action: string;
  /** Who acted; undefined for an anonymous caller (e.g. a failed sign-in: `name` then says who was tried). */
  principal?: Principal;
  /** The name an anonymous caller gave (sign-in). */
  name?: string;
  target?: string;
  outcome: AuditOutcome;
  status?: number;
  ip?: string;
  correlationId?: string;
  detail?: Record<string, unknown>;
}

export interface AuditEntry {
  id: string;
  at: string;
  app: string;
  actor: string;
  actorKind: 'user' | 'key' | 'device' | 'anonymous';
  role: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  status: number | null;
  ip: string | null;
  correlationId: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditQuery {
  actor?: string;
  /** An action, or a prefix ending in `.` or `*` (e.g. `alarm.` for every alarm action). */
  action?: string;
  outcome?: AuditOutcome;
  target?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  /** Entries older than this id (the previous page's `nextCursor`). */
  before?: string;
}

export interface AuditPage {
  items: AuditEntry[];
  nextCursor: string | null;
}

@Injectable()
export class AuditService {
  private readonly log = new Logger('audit');

  constructor(
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
    @Inject(PgConnections) private readonly pg: PgConnections,
  ) {}

  /** Records an entry; a failure is logged, never thrown (the action itself has happened). */
  async record(e: AuditEntryInput): Promise<void> {
    const p = e.principal;
    try {
      await this.pg.rows(
        `INSERT INTO audit_log (app, actor, actor_kind, role, action, target, outcome, status,
                                ip, correlation_id, detail)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          this.config.app,
          p ? actorName(p) : (e.name ?? 'anonymous').slice(0, 128),
          p ? p.kind : 'anonymous',
          p && p.kind !== 'device' ? p.role : null,
          e.action,
          e.target ?? null,
          e.outcome,
          e.status ?? null,
          e.ip ?? null,
          e.correlationId ?? null,
          e.detail ? JSON.stringify(e.detail) : null,
        ],
      );
    } catch (err) {
      this.log.error(`could not record ${e.action} (${e.outcome}): ${(err as Error).message}`);
    }
  }

  async search(q: AuditQuery): Promise<AuditPage> {
    const limit = q.limit ?? 100;
    const prefix = q.action && /[.*]$/.test(q.action) ? q.action.replace(/\*$/, '') : null;
    const rows: {
      id: string;
      at: Date;
      app: string;
      actor: string;
      actor_kind: AuditEntry['actorKind'];
      role: string | null;
      action: string;
      target: string | null;
      outcome: AuditOutcome;
      status: number | null;
      ip: string | null;
      correlation_id: string | null;
      detail: Record<string, unknown> | null;
    }[] = await this.pg.rows(
      `SELECT id::text, at, app, actor, actor_kind, role, action, target, outcome, status, ip,
              correlation_id, detail
         FROM audit_log
        WHERE ($1::text IS NULL OR actor = $1)
          AND ($2::text IS NULL OR action = $2)
          AND ($3::text IS NULL OR starts_with(action, $3))
          AND ($4::text IS NULL OR outcome = $4)
          AND ($5::text IS NULL OR target = $5)
          AND ($6::timestamptz IS NULL OR at >= $6)
          AND ($7::timestamptz IS NULL OR at < $7)
          AND ($8::bigint IS NULL OR id < $8)
        ORDER BY audit_log.id DESC LIMIT $9`,
      [
        q.actor ?? null,
        prefix === null ? (q.action ?? null) : null,
        prefix,
        q.outcome ?? null,
        q.target ?? null,
        q.from ?? null,
        q.to ?? null,
        q.before ?? null,
        limit + 1,
      ],
    );
    const items = rows.slice(0, limit).map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      app: r.app,
      actor: r.actor,
      actorKind: r.actor_kind,
      role: r.role,
      action: r.action,
      target: r.target,
      outcome: r.outcome,
      status: r.status,
      ip: r.ip,
      correlationId: r.correlation_id,
      detail: r.detail,
    }));
    return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
  }
}
