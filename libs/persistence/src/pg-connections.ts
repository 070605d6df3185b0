/**
 * The one way a process reaches PostgreSQL outside TypeORM's query builder: the node-postgres
 * pool that TypeORM's data source already owns (one pool per process), plus one dedicated
 * connection per LISTEN channel built from the same connection options. Every pg client made
 * here has an 'error' listener, so a PostgreSQL restart never crashes the process.
 */
import { Client, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

const guarded = new WeakSet<PoolClient>();
const pidOf = (c: PoolClient) => (c as PoolClient & { processID: number }).processID;

export interface Listener {
  close(): Promise<void>;
}

export class PgConnections {
  /**
   * PostgreSQL backend pids of this pool's connections: a NOTIFY whose `processId` is one of
   * them was sent by a statement of this process. Filled on checkout, since TypeORM opens
   * its first connection before anyone can subscribe to 'connect'.
   */
  readonly backends = new Set<number>();
  private tracked = false;

  constructor(private readonly db: DataSource) {}

  /** TypeORM's pool; the only place that reaches into the driver. */
  get pool(): Pool {
    const pool = (this.db.driver as PostgresDriver).master as Pool | undefined;
    if (!pool) throw new Error('the data source is not initialised');
    if (!this.tracked) {
      this.tracked = true;
      pool.on('acquire', (c) => {
        this.backends.add(pidOf(c));
        // pg-pool listens for 'error' only while a client is idle, and TypeORM not at all:
        // a connection lost while checked out (PostgreSQL restarting: 57P01) would otherwise
        // crash the process. The statement in progress still rejects; the pool then drops it.
        if (!guarded.has(c)) {
          guarded.add(c);
          c.on('error', () => undefined);
        }
      });
      pool.on('remove', (c) => this.backends.delete(pidOf(c)));
    }
    return pool;
  }

  /** Runs a statement, prepared under `name` when given. */
  async rows<T extends QueryResultRow>(
    text: string,
    values: unknown[],
    name?: string,
  ): Promise<T[]> {
    const res = await this.pool.query<T>({ text, values, name });
    return res.rows;
  }

  /**
   * LISTENs on `channel` over one dedicated connection and reconnects after `retryMs` when
   * it is lost (PostgreSQL restart, network); `onLost` hears about each loss.
   */
  async listen(
    channel: string,
    onNotify: (payload: string, processId: number) => void,
    onLost: (e: Error) => void = () => undefined,
    retryMs = 1_000,
  ): Promise<Listener> {
    const pool = this.pool; // tracks own backends before the first NOTIFY can arrive
    let client: Client | undefined;
    let closed = false;
    const connect = async (): Promise<void> => {
      const c = new Client(pool.options);
      c.on('notification', (n) => {
        if (n.channel === channel && n.payload) onNotify(n.payload, n.processId);
      });
      c.on('error', (e) => {
        if (closed) return;
        onLost(e);
        void c.end().catch(() => undefined);
        retry();
      });
      client = c;
      await c.connect();
      await c.query(`LISTEN ${channel}`);
    };
    const retry = () => {
      setTimeout(() => {
        if (!closed) connect().catch(() => retry());
      }, retryMs).unref();
    };
    await connect();
    return {
      close: async () => {
        closed = true;
        await client?.end().catch(() => undefined);
      },
    };
  }
}

/** Nest provider: `PgConnections` over the app's TypeORM data source. */
export const pgConnectionsProvider = {
  provide: PgConnections,
  useFactory: (db: DataSource) => new PgConnections(db),
  inject: [DataSource],
};
