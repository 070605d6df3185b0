/**
 * Device keys as the brokers see them. A key is 256 random bits, so a plain SHA-256 is a safe
 * hash and allows an indexed lookup. DeviceKeyDirectory answers "is this the key of that
 * device?" from a cache that PostgreSQL invalidates at once (LISTEN device_keys, fed by a
 * trigger on every key change or delete), and tells its listeners which device lost its key.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Client, Pool } from 'pg';

export const DEVICE_KEY_CHANNEL = 'device_keys';

export function hashDeviceKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** A new device key and the hash to store; the key itself is shown to its owner once. */
export function issueDeviceKey(): { key: string; hash: string } {
  const key = `iotk_${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashDeviceKey(key) };
}

export interface DeviceKeyDirectoryOptions {
  /** Delay before the LISTEN connection is opened again after it was lost. */
  retryMs?: number;
  log?: (line: string) => void;
}

export class DeviceKeyDirectory {
  private readonly pool: Pool;
  /** Stored hash per device id, trusted only while the LISTEN connection is up. */
  private readonly cache = new Map<string, string>();
  private readonly listeners: ((deviceId: string) => void)[] = [];
  private listener: Client | undefined;
  private listening = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly databaseUrl: string,
    private readonly opts: DeviceKeyDirectoryOptions = {},
  ) {
    this.pool = new Pool({ connectionString: databaseUrl, max: 4 });
    this.pool.on('error', () => undefined); // an idle client lost; the pool replaces it
  }

  /** Opens the LISTEN connection; keeps retrying in the background if PostgreSQL is away. */
  async start(): Promise<void> {
    await this.listen().catch((e: Error) => this.lost(e));
  }

  onRevoked(listener: (deviceId: string) => void): void {
    this.listeners.push(listener);
  }

  async verify(deviceId: string, key: string): Promise<boolean> {
    const given = hashDeviceKey(key);
    let stored = this.listening ? this.cache.get(deviceId) : undefined;
    if (stored === undefined) {
      const { rows } = await this.pool.query<{ h: string | null }>(
        'SELECT api_key_hash AS h FROM devices WHERE id = $1',
        [deviceId],
      );
      stored = rows[0]?.h ?? undefined;
      if (stored === undefined) return false;
      this.cache.set(deviceId, stored);
    }
    return timingSafeEqual(Buffer.from(stored), Buffer.from(given));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await Promise.all([this.listener?.end().catch(() => undefined), this.pool.end()]);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('error', (e) => this.lost(e));
    client.on('end', () => this.lost(new Error('connection ended')));
    client.on('notification', (n) => {
      if (n.channel === DEVICE_KEY_CHANNEL && n.payload) this.revoke(n.payload);
    });
    this.listener = client;
    await client.connect();
    await client.query(`LISTEN ${DEVICE_KEY_CHANNEL}`);
    // Changes made while we were not listening: compare what we had cached with what is stored.
    const ids = [...this.cache.keys()];
    if (ids.length) {
      const { rows } = await this.pool.query<{ id: string; h: string | null }>(
        'SELECT id, api_key_hash AS h FROM devices WHERE id = ANY($1::text[])',
        [ids],
      );
      const now = new Map(rows.map((r) => [r.id, r.h]));
      for (const id of ids) if (now.get(id) !== this.cache.get(id)) this.revoke(id);
    }
    this.listening = true;
  }

  private lost(e: Error): void {
    if (this.closed || this.retry) return;
    this.listening = false;
    this.listener?.removeAllListeners('end');
    this.listener?.end().catch(() => undefined);
    this.listener = undefined;
    this.opts.log?.(`device key notifications lost (${e.message}); retrying`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.listen().catch((err: Error) => this.lost(err));
    }, this.opts.retryMs ?? 1_000);
    this.retry.unref();
  }

  private revoke(deviceId: string): void {
    this.cache.delete(deviceId);
    for (const l of this.listeners) l(deviceId);
  }
}
