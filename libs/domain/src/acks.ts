/**
 * End-to-end commit acknowledgement (`env/{deviceId}/ack`): after a commit in PostgreSQL the
 * api (readings) and alerting (events) tell the device which sequence numbers are now stored,
 * per stream. Ranges rather than one high-water mark: consumers commit out of order (parallel
 * writers, a redelivered batch after a crash), so "highest committed" would let the edge trim
 * a batch that was lost in front of it. What the edge does not see acked it sends again; the
 * stores are idempotent on their keys, so a re-send costs a duplicate message, never a row.
 */
import { isSensorKind, type SensorKind } from './sensors';

/** Inclusive [from, to] ranges of sequence numbers, sorted and disjoint. */
export type SeqRanges = [number, number][];

export interface CommitAck {
  /** Readings per sensor stream (seq of each reading, per sensor). */
  raw?: Partial<Record<SensorKind, SeqRanges>>;
  /** Constraint events of the device (seq per device). */
  event?: SeqRanges;
}

/** Collects sequence numbers into merged ranges (unsorted input, repeats allowed). */
export class SeqRangeSet {
  private seqs: number[] = [];

  get size(): number {
    return this.seqs.length;
  }

  add(seq: number): void {
    this.seqs.push(seq);
  }

  /** The ranges collected so far; empties the set. */
  take(): SeqRanges {
    const s = this.seqs.sort((a, b) => a - b);
    this.seqs = [];
    const out: SeqRanges = [];
    for (const n of s) {
      const last = out[out.length - 1];
      if (last && n <= last[1] + 1) last[1] = Math.max(last[1], n);
      else out.push([n, n]);
    }
    return out;
  }
}

export function encodeAck(ack: CommitAck): string {
  return JSON.stringify(ack);
}

function isRanges(v: unknown): v is SeqRanges {
  return (
    Array.isArray(v) &&
    v.length <= 100_000 &&
    v.every(
      (r) =>
        Array.isArray(r) &&
        r.length === 2 &&
        Number.isSafeInteger(r[0]) &&
        Number.isSafeInteger(r[1]) &&
        r[0] >= 0 &&
        r[1] >= r[0],
    )
  );
}

/** Decodes an ack payload; null when it is not one (the edge ignores it). */
export function decodeAck(payload: string | Uint8Array): CommitAck | null {
  let o: unknown;
  try {
    o = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
  const rec = o as Record<string, unknown>;
  const ack: CommitAck = {};
  if (rec['event'] !== undefined) {
    if (!isRanges(rec['event'])) return null;
    ack.event = rec['event'];
  }
  const raw = rec['raw'];
  if (raw !== undefined) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null;
    ack.raw = {};
    for (const [sensor, ranges] of Object.entries(raw)) {
      if (!isSensorKind(sensor) || !isRanges(ranges)) return null;
      ack.raw[sensor] = ranges;
    }
  }
  return ack;
}
