/**
 * API keys: the configured admin key, machine keys with a role (`api_keys`) and device keys
 * (`devices.api_key_hash`, issued by the api on registration). Keys are 256 random bits, so
 * SHA-256 allows an indexed lookup; hits are cached briefly so that ingestion does not query
 * PostgreSQL per request, which bounds how long a revoked key keeps working on another replica.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { issueDeviceKey, PgConnections } from '@iotmon/persistence';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AppError } from '../errors/app-error';
import type { Principal } from './principal';
import type { Role } from './roles';
import { hashSecret, newSecret } from './secrets';

/** How long a key lookup is trusted; revocation reaches other replicas within this. */
export const KEY_CACHE_MS = 5_000;
const CACHE_MAX = 10_000;

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  rotatedAt: string | null;
  /** Only in the response that creates or rotates the key. */
  key?: string;
}

interface KeyRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  rotated_at: Date | null;
}

const toView = (r: KeyRow): ApiKeyView => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  rotatedAt: r.rotated_at ? r.rotated_at.toISOString() : null,
});

@Injectable()
export class ApiKeysService {
  private readonly adminDigest: Buffer | undefined;
  private readonly cache = new Map<string, { principal: Principal; until: number }>();

  constructor(
    @Inject(AUTH_CONFIG) config: AuthConfig,
    @Inject(PgConnections) private readonly pg: PgConnections,
  ) {
    this.adminDigest = config.adminApiKey
      ? createHash('sha256').update(config.adminApiKey).digest()
      : undefined;
  }

  /** A new device key and the hash to store; the key itself is returned to the caller once. */
  issueDeviceKey(): { key: string; hash: string } {
    // The brokers' format (libs/persistence), so one key signs in on MQTT and HTTP alike.
    return issueDeviceKey();
  }

  async principalOf(key: string): Promise<Principal | undefined> {
    if (key.length === 0 || key.length > 256) return undefined;
    const digest = createHash('sha256').update(key).digest();
    if (this.adminDigest && timingSafeEqual(digest, this.adminDigest)) {
      return { kind: 'key', id: 'config', name: 'admin', role: 'admin' };
    }
    const isDevice = key.startsWith('iotk_');
    if (!isDevice && !key.startsWith('iotm_')) return undefined;
    const hash = digest.toString('hex');
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.principal;
    let principal: Principal | undefined;
    if (isDevice) {
      const rows = await this.pg.rows<{ id: string }>(
        'SELECT id FROM devices WHERE api_key_hash = $1',
        [hash],
      );
      if (rows[0]) principal = { kind: 'device', deviceId: rows[0].id, name: rows[0].id };
    } else {
      const rows = await this.pg.rows<{ id: string; name: string; role: Role }>(
        'SELECT id::text, name, role FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
        [hash],
      );
      if (rows[0]) principal = { kind: 'key', ...rows[0] };
    }
    if (!principal) return undefined;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { principal, until: Date.now() + KEY_CACHE_MS });
    return principal;
  }

  /** Forgets cached keys of a device (deleted or key rotated) on this replica at once. */
  forgetDevice(deviceId: string): void {
    for (const [hash, v] of this.cache) {
      if (v.principal.kind === 'device' && v.principal.deviceId === deviceId)
        this.cache.delete(hash);
    }
  }

  private forgetKey(id: string): void {
    for (const [hash, v] of this.cache) {
      if (v.principal.kind === 'key' && v.principal.id === id) this.cache.delete(hash);
    }
  }

  async create(name: string, role: Role): Promise<ApiKeyView> {
    const key = newSecret('iotm');
    const rows = await this.pg.rows<KeyRow>(
      `INSERT INTO api_keys (name, role, key_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING id::text, name, role, created_at, rotated_at`,
      [name, role, hashSecret(key)],
    );
    if (!rows[0]) throw AppError.conflict(`an API key named ${name} exists`);
    return { ...toView(rows[0]), key };
  }

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.pg.rows<KeyRow>(
      `SELECT id::text, name, role, created_at, rotated_at FROM api_keys
        WHERE revoked_at IS NULL ORDER BY api_keys.id`,
    );
    return rows.map(toView);
  }

  /** A new secret for the key; the old one stops working at once here, within KEY_CACHE_MS elsewhere. */
  async rotate(id: string): Promise<ApiKeyView> {
    const key = newSecret('iotm');
    const rows = await this.pg.rows<KeyRow>(
      `UPDATE api_keys SET key_hash = $2, rotated_at = now()
        WHERE id = $1 AND revoked_at IS NULL
       RETURNING id::text, name, role, created_at, rotated_at`,
      [id, hashSecret(key)],
    );
    this.forgetKey(id);
    if (!rows[0]) throw AppError.notFound(`API key ${id}`);
    return { ...toView(rows[0]), key };
  }

  async revoke(id: string): Promise<void> {
    const revoked = await this.pg.rows(
      `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING 1`,
      [id],
    );
    this.forgetKey(id);
    if (revoked.length === 0) throw AppError.notFound(`API key ${id}`);
  }
}
