/** Random secrets (API keys, refresh tokens) and their stored form. */
import { createHash, randomBytes } from 'node:crypto';

/**
 * A 256-bit random secret with a prefix that says what it is (iotm_ machine key, iotr_ refresh
 * token; device keys, iotk_, are libs/persistence's issueDeviceKey).
 */
export function newSecret(prefix: 'iotm' | 'iotr'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256, hex. Safe for 256-bit random secrets (nothing to brute-force, unlike passwords) and
 * allows an indexed lookup; passwords use bcrypt (passwords.ts).
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
