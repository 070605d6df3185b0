/**
 * API keys: the admin key from config, device keys issued on device creation. A device key
 * is 256 random bits, so a plain SHA-256 is a safe hash and allows an indexed lookup; hits
 * are cached briefly so that ingestion does not query PostgreSQL per request.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { issueDeviceKey, PgConnections } from '@iotmon/persistence';
import { API_CONFIG, type ApiConfig } from '../config';
import type { Principal } from './principal';

const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

@Injectable()
export class ApiKeysService {
  private readonly adminHash: Buffer | undefined;
  private readonly cache = new Map<string, { deviceId: string; until: number }>();

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(PgConnections) private readonly pg: PgConnections,
  ) {
    this.adminHash = config.adminApiKey
      ? createHash('sha256').update(config.adminApiKey).digest()
      : undefined;
  }

  /** A new device key and the hash to store; the key itself is returned to the caller once. */
  issue(): { key: string; hash: string } {
    return issueDeviceKey();
  }

  async principalOf(key: string): Promise<Principal | undefined> {
    if (key.length === 0 || key.length > 256) return undefined;
    const digest = createHash('sha256').update(key).digest();
    if (this.adminHash && timingSafeEqual(digest, this.adminHash)) return { kind: 'admin' };
    if (!key.startsWith('iotk_')) return undefined;
    const hash = digest.toString('hex');
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return { kind: 'device', deviceId: hit.deviceId };
    const rows = await this.pg.rows<{ id: string }>(
      'SELECT id FROM devices WHERE api_key_hash = $1',
      [hash],
    );
    if (rows.length === 0) return undefined;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { deviceId: rows[0].id, until: Date.now() + CACHE_MS });
    return { kind: 'device', deviceId: rows[0].id };
  }

  /** Forgets cached keys of a deleted device (other replicas forget within CACHE_MS). */
  forgetDevice(deviceId: string): void {
    for (const [hash, v] of this.cache) if (v.deviceId === deviceId) this.cache.delete(hash);
  }
}
