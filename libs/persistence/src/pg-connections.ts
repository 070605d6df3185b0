/**
 * The one way a process reaches PostgreSQL (TypeORM keeps only the data source and the
 * migrations): the node-postgres pool that TypeORM's data source already owns (one pool per
 * process), plus one dedicated connection per LISTEN channel built from the same connection
 * options. A process without TypeORM (the broker) opens the same from a URL. Every pg client
 * made here has an 'error' listener, so a PostgreSQL restart never crashes the process.
 */
import { Client, Pool, type PoolClient, type PoolConfig, type QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

const guarded = new WeakSet<PoolClient>();
const pidOf = (c: PoolClient) => (c as PoolClient & { processID: number }).processID;

export interface Listener {
  close(): Promise<void>;
}

/** What a repository needs: run one statement, get its rows (the pool, or one transaction). */
export interface Sql {
  rows<T extends QueryResultRow>(text: string, values?: unknown[], name?: string): Promise<T[]>;
}

/** `Sql` on one checked-out connection (inside `withClient`). */
export const sqlOn = (client: PoolClient): Sql => ({
  rows: async <T extends QueryResultRow>(text: string, values: unknown[] = [], name?: string) =>
    (await client.query<T>({ text, values, name })).rows,
});

export class PgConnections {
  /**
   * PostgreSQL backend pids of this pool's connections: a NOTIFY whose `processId` is one of
   * them was sent by a statement of this process. Filled on checkout, since TypeORM opens
   * its first connection before anyone can subscribe to 'connect'.
   */
  readonly backends = new Set<number>();
  private tracked = false;

  private readonly owned: Pool | undefined;

  constructor(
    private readonly db: DataSource | undefined,
    own?: Pool,
  ) {
    this.owned = own;
  }

  /** A pool for a process (or a role) without a TypeORM data source; `close` ends it. */
  static open(config: PoolConfig & { connectionString: string }): PgConnections {
    const pool = new Pool(config);
    pool.on('error', () => undefined); // an idle client lost (PostgreSQL restarted): replaced
    return new PgConnections(undefined, pool);
  }

  /** Ends the pool opened by `open` (a data source's pool ends with the data source). */
  async close(): Promise<void> {
    await this.owned?.end();
  }

  /** TypeORM's pool; the only place that reaches into the driver. */
  get pool(): Pool {
    const pool =
      this.owned ?? ((this.db?.driver as PostgresDriver | undefined)?.master as Pool | undefined);
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
    values: unknown[] = [],
    name?: string,
  ): Promise<T[]> {
    const res = await this.pool.query<T>({ text, values, name });
    return res.rows;
  }

  /**
   * Runs `fn` on one checked-out connection (COPY, or several statements that must share a
   * session). A connection that failed is dropped from the pool instead of being reused.
   */
  async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (e) {
      broken = e as Error;
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // Only a connection that could not roll back (or begin, or commit) is dropped; one whose
    // transaction `fn` merely abandoned (a duplicate, a 404) goes back to the pool.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN').catch((e: Error) => Promise.reject((broken = e)));
      let result: T;
      try {
        result = await fn(sqlOn(client));
      } catch (e) {
        await client.query('ROLLBACK').catch((re: Error) => (broken = re));
        throw e;
      }
      await client.query('COMMIT').catch((e: Error) => Promise.reject((broken = e)));
      return result;
    } finally {
      client.release(broken);
    }
  }

  /**
   * LISTENs on `channel` over one dedicated connection and reconnects after `retryMs` when
   * it is lost (PostgreSQL restart, network); `onLost` hears about each loss, `onListening`
   * runs after each (re)connect, before notifications count as heard again (to catch up on
   * what was missed). The first connect's failure rejects.
   */
  async listen(
    channel: string,
    onNotify: (payload: string, processId: number) => void,
    onLost: (e: Error) => void = () => undefined,
    retryMs = 1_000,
    onListening: () => Promise<void> | void = () => undefined,
  ): Promise<Listener> {
    const pool = this.pool; // tracks own backends before the first NOTIFY can arrive
    let client: Client | undefined;
    let closed = false;
    const connect = async (): Promise<void> => {
      const c = new Client(pool.options);
      let gone = false;
      const lose = (e: Error) => {
        if (closed || gone) return;
        gone = true;
        onLost(e);
        void c.end().catch(() => undefined);
        retry();
      };
      c.on('notification', (n) => {
        if (n.channel === channel && n.payload) onNotify(n.payload, n.processId);
      });
      c.on('error', lose);
      c.on('end', () => lose(new Error('connection ended')));
      client = c;
      try {
        await c.connect();
        await c.query(`LISTEN ${channel}`);
        await onListening();
      } catch (e) {
        gone = true; // the caller (first connect) or retry() takes it from here
        void c.end().catch(() => undefined);
        throw e;
      }
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
