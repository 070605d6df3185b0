/**
 * Binary COPY of readings: PostgreSQL's fastest load path. A batch that collides with stored
 * rows (a re-sent batch) fails as a whole with unique_violation; the caller then falls back
 * to the idempotent INSERT ... ON CONFLICT DO NOTHING of readings-store.ts.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Reading } from '@iotmon/domain';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
/** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01). */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
const FIELDS = 6;
/** Fixed bytes per row: field count, 6 lengths, ts, seq, value, late. */
const FIXED_ROW_BYTES = 2 + FIELDS * 4 + 8 + 8 + 8 + 1;

function writeInt64(buf: Buffer, v: number, at: number): void {
  const hi = Math.floor(v / TWO_32);
  buf.writeInt32BE(hi, at);
  buf.writeUInt32BE(v - hi * TWO_32, at + 4);
}

/** The COPY (FORMAT binary) header: signature, flags, header extension length. */
const HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
/** The trailer: a field count of -1. */
const TRAILER = Buffer.from([0xff, 0xff]);

/**
 * Encodes readings as COPY (FORMAT binary) rows for columns COPY_READINGS_SQL names, without
 * the header and trailer: one compact buffer a writer can hold instead of many objects.
 */
export function encodeReadingRows(readings: readonly Reading[]): Buffer {
  let size = 0;
  for (const r of readings) {
    size += FIXED_ROW_BYTES + Buffer.byteLength(r.deviceId) + r.sensor.length;
  }
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  for (const r of readings) {
    buf.writeInt16BE(FIELDS, at);
    at += 2;
    const dl = buf.write(r.deviceId, at + 4, 'utf8');
    buf.writeInt32BE(dl, at);
    at += 4 + dl;
    const sl = buf.write(r.sensor, at + 4, 'latin1');
    buf.writeInt32BE(sl, at);
    at += 4 + sl;
    buf.writeInt32BE(8, at);
    writeInt64(buf, Math.round((r.ts - PG_EPOCH_MS) * 1000), at + 4);
    at += 12;
    buf.writeInt32BE(8, at);
    writeInt64(buf, r.seq ?? -1, at + 4);
    at += 12;
    buf.writeInt32BE(8, at);
    buf.writeDoubleBE(r.value, at + 4);
    at += 12;
    buf.writeInt32BE(1, at);
    buf[at + 4] = r.late ? 1 : 0;
    at += 5;
  }
  return buf;
}

/** The readings of rows encodeReadingRows made (for the INSERT fallback). */
export function decodeReadingRows(buf: Buffer): Reading[] {
  const out: Reading[] = [];
  const int64 = (at: number) => buf.readInt32BE(at) * TWO_32 + buf.readUInt32BE(at + 4);
  let at = 0;
  while (at < buf.length) {
    at += 2;
    const dl = buf.readInt32BE(at);
    const deviceId = buf.toString('utf8', at + 4, at + 4 + dl);
    at += 4 + dl;
    const sl = buf.readInt32BE(at);
    const sensor = buf.toString('latin1', at + 4, at + 4 + sl);
    at += 4 + sl;
    const ts = int64(at + 4) / 1000 + PG_EPOCH_MS;
    const seq = int64(at + 16);
    const value = buf.readDoubleBE(at + 28);
    const late = buf[at + 40] === 1;
    at += 41;
    const r: Reading = { deviceId, sensor, ts, value };
    if (seq !== -1) r.seq = seq;
    if (late) r.late = true;
    out.push(r);
  }
  return out;
}

/** Encodes readings as one whole COPY (FORMAT binary) file, header and trailer included (psql). */
export function encodeReadingsBinary(readings: readonly Reading[]): Buffer {
  return Buffer.concat([HEADER, encodeReadingRows(readings), TRAILER]);
}

export const COPY_READINGS_SQL =
  'COPY readings (device_id, sensor, ts, seq, value, late) FROM STDIN (FORMAT binary)';

/** Streams rows (encodeReadingRows, in chunks) into readings on `client`: all or none. */
export async function copyReadingsBinary(
  client: PoolClient,
  rows: readonly Buffer[],
): Promise<void> {
  await pipeline(
    Readable.from([HEADER, ...rows, TRAILER]),
    client.query(copyFrom(COPY_READINGS_SQL)),
  );
}

/** PostgreSQL's unique_violation: the batch holds a row that is already stored. */
export function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === '23505';
}
