/**
 * A plain node-postgres pool for the hot path (alarm batches, webhook outbox): one round
 * trip per statement, no ORM layer in between. REST reads go through TypeORM.
 */
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool, type PoolClient, type QueryResultRow } from 'pg';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';

const pidOf = (c: PoolClient) => (c as PoolClient & { processID: number }).processID;

@Injectable()
export class PgPool implements OnApplicationShutdown {
  readonly pool: Pool;

  constructor(@Inject(ALERTING_CONFIG) config: AlertingConfig) {
    this.pool = new Pool({ connectionString: config.databaseUrl, max: config.dbPoolSize });
    this.pool.on('error', () => undefined); // an idle client lost; the pool replaces it
    this.pool.on('connect', (c) => this.backends.add(pidOf(c)));
    this.pool.on('remove', (c) => this.backends.delete(pidOf(c)));
  }

  /**
   * PostgreSQL backend pids of this pool's connections: a NOTIFY whose `processId` is one of
   * them was sent by a statement of this process (see LiveHub).
   */
  readonly backends = new Set<number>();

  /** Runs a statement, prepared under `name` when given. */
  async rows<T extends QueryResultRow>(
    text: string,
    values: unknown[],
    name?: string,
  ): Promise<T[]> {
    const res = await this.pool.query<T>({ text, values, name });
    return res.rows;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
