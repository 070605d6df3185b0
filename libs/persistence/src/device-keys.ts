/**
 * Device keys as the brokers see them. A key is 256 random bits, so a plain SHA-256 is a safe
 * hash and allows an indexed lookup. DeviceKeyDirectory answers "is this the key of that
 * device?" from a cache that PostgreSQL invalidates at once (LISTEN device_keys, fed by a
 * trigger on every key change or delete), and tells its listeners which device lost its key.
 * It reaches PostgreSQL through the process's PgConnections: the pool for lookups, and the
 * one dedicated LISTEN connection, which PgConnections reopens after a loss.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Listener, PgConnections } from './pg-connections';

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
  /** Stored hash per device id, trusted only while the LISTEN connection is up. */
  private readonly cache = new Map<string, string>();
  private readonly listeners: ((deviceId: string) => void)[] = [];
  private listener: Listener | undefined;
  private listening = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly pg: PgConnections,
    private readonly opts: DeviceKeyDirectoryOptions = {},
  ) {}

  /** Opens the LISTEN connection; keeps retrying in the background if PostgreSQL is away. */
  async start(): Promise<void> {
    if (this.closed) return;
    try {
      this.listener = await this.pg.listen(
        DEVICE_KEY_CHANNEL,
        (deviceId) => this.revoke(deviceId),
        (e) => this.lost(e),
        this.opts.retryMs ?? 1_000,
        () => this.resync(),
      );
    } catch (e) {
      this.lost(e as Error);
      this.retry = setTimeout(() => void this.start(), this.opts.retryMs ?? 1_000);
      this.retry.unref();
    }
  }

  onRevoked(listener: (deviceId: string) => void): void {
    this.listeners.push(listener);
  }

  async verify(deviceId: string, key: string): Promise<boolean> {
    const given = hashDeviceKey(key);
    let stored = this.listening ? this.cache.get(deviceId) : undefined;
    if (stored === undefined) {
      const [row] = await this.pg.rows<{ h: string | null }>(
        'SELECT api_key_hash AS h FROM devices WHERE id = $1',
        [deviceId],
        'device_key_hash',
      );
      stored = row?.h ?? undefined;
      if (stored === undefined) return false;
      this.cache.set(deviceId, stored);
    }
    return timingSafeEqual(Buffer.from(stored), Buffer.from(given));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.listener?.close();
  }

  /** Listening (again): changes made while we were not are found by comparing the cache. */
  private async resync(): Promise<void> {
    const ids = [...this.cache.keys()];
    if (ids.length) {
      const rows = await this.pg.rows<{ id: string; h: string | null }>(
        'SELECT id, api_key_hash AS h FROM devices WHERE id = ANY($1::text[])',
        [ids],
      );
      const now = new Map(rows.map((r) => [r.id, r.h]));
      for (const id of ids) if (now.get(id) !== this.cache.get(id)) this.revoke(id);
    }
    this.listening = true;
  }

  private lost(e: Error): void {
    this.listening = false;
    this.opts.log?.(`device key notifications lost (${e.message}); retrying`);
  }

  private revoke(deviceId: string): void {
    this.cache.delete(deviceId);
    for (const l of this.listeners) l(deviceId);
  }
}
