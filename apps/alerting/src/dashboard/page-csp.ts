/**
 * The dashboard's Content-Security-Policy: scripts and styles only from this origin, plus the
 * page's one inline script (the import map), allowed by its hash so nothing else inline runs.
 */
import { createHash } from 'node:crypto';

const INLINE_SCRIPT = /<script type="importmap">([\s\S]*?)<\/script>/g;

export function pageCsp(html: Buffer | string): string {
  const hashes = [...html.toString('utf8').matchAll(INLINE_SCRIPT)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
  );
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}
