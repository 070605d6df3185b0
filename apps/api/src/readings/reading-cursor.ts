/** The opaque cursor of GET /readings: the last row's sort position, base64url JSON. */
import type { ReadingPosition } from '@iotmon/persistence';
import { AppError } from '@iotmon/server-kit';

export function encodeCursor(p: ReadingPosition): string {
  return Buffer.from(JSON.stringify([p.ts, p.deviceId, p.sensor, p.seq])).toString('base64url');
}

export function decodeCursor(cursor: string): ReadingPosition {
  const bad = () =>
    AppError.validation([{ field: 'cursor', reason: 'is not a cursor of this route' }]);
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (
    !Array.isArray(v) ||
    v.length !== 4 ||
    !Number.isSafeInteger(v[0]) ||
    typeof v[1] !== 'string' ||
    typeof v[2] !== 'string' ||
    !Number.isSafeInteger(v[3])
  ) {
    throw bad();
  }
  return { ts: v[0], deviceId: v[1], sensor: v[2], seq: v[3] };
}
