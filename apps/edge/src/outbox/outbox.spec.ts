import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConstraintEvent, Reading } from '@iotmon/domain';
import { Outbox, type OutboxItem } from './outbox';

const reading = (seq: number, at = 1_000): OutboxItem => ({
  kind: 'reading',
  reading: { deviceId: 'n1', sensor: 'temperature', value: 20, ts: at, seq } as Reading,
  late: true,
  at,
});
const event = (ts: number, at = 1_000): OutboxItem => ({
  kind: 'event',
  event: {
    deviceId: 'n1',
    sensor: 'temperature',
    ruleId: 'r',
    state: 'raised',
    severity: 'warning',
    value: 31,
    ts,
    message: '',
  } as ConstraintEvent,
  late: true,
  at,
});
const seqs = (items: OutboxItem[]) =>
  items.map((i) => (i.kind === 'reading' ? i.reading.seq : i.event.ts));

describe('outbox', () => {
  let now = 1_000;
  const clock = () => now;
  const big = { maxBytes: 1_000_000, maxAgeMs: 60_000 };

  beforeEach(() => (now = 1_000));

  it('hands out events before readings, each in capture order', () => {
    const box = new Outbox(big, undefined, clock);
    box.push(reading(1));
    box.push(event(10));
    box.push(reading(2));
    box.push(event(11));
    const first = box.take(10);
    expect(first.map((i) => i.kind)).toEqual(['event', 'event']);
    expect(seqs(first)).toEqual([10, 11]);
    box.ack('event', 2);
    expect(seqs(box.take(10))).toEqual([1, 2]);
  });

  it('puts released items back in front, in order', () => {
    const box = new Outbox(big, undefined, clock);
    for (let i = 1; i <= 5; i++) box.push(reading(i));
    expect(seqs(box.take(3))).toEqual([1, 2, 3]);
    box.release('reading');
    expect(seqs(box.take(10))).toEqual([1, 2, 3, 4, 5]);
    box.ack('reading', 5);
    expect(box.empty).toBe(true);
  });

  it('drops the oldest readings first when full, and never an event while a reading is left', () => {
    const one = JSON.stringify(reading(1)).length + 1;
    const box = new Outbox({ maxBytes: one * 6, maxAgeMs: 60_000 }, undefined, clock);
    box.push(event(1));
    box.push(event(2));
    for (let i = 1; i <= 6; i++) box.push(reading(i));
    const s = box.stats();
    expect(s.events).toBe(2);
    expect(s.dropped.events).toBe(0);
    expect(s.dropped.readings).toBeGreaterThan(0);
    expect(s.bytes).toBeLessThanOrEqual(one * 6);
    box.ack('event', box.take(10).length);
    const left = seqs(box.take(10));
    expect(left).toEqual(left.map((_x, i) => 7 - left.length + i));
  });

  it('drops events only when no reading is left to drop', () => {
    const box = new Outbox({ maxBytes: 2_000, maxAgeMs: 60_000 }, undefined, clock);
    box.push(reading(1));
    for (let i = 1; i <= 40; i++) box.push(event(i));
    const s = box.stats();
    expect(s.readings).toBe(0);
    expect(s.dropped.readings).toBe(1);
    expect(s.dropped.events).toBeGreaterThan(0);
    const kept = seqs(box.take(100));
    expect(kept.at(-1)).toBe(40);
  });

  it('drops readings past the age limit but keeps events', () => {
    const box = new Outbox({ maxBytes: 1_000_000, maxAgeMs: 5_000 }, undefined, clock);
    box.push(reading(1, 1_000));
    box.push(event(1, 1_000));
    now = 7_000;
    box.push(reading(2, 7_000));
    expect(box.stats()).toMatchObject({
      readings: 1,
      events: 1,
      dropped: { readings: 1, events: 0 },
    });
  });

  it('does not drop items that are in flight', () => {
    const one = JSON.stringify(reading(1)).length + 1;
    const box = new Outbox({ maxBytes: one * 3, maxAgeMs: 60_000 }, undefined, clock);
    for (let i = 1; i <= 3; i++) box.push(reading(i));
    expect(seqs(box.take(2))).toEqual([1, 2]);
    box.push(reading(4));
    box.ack('reading', 2);
    expect(seqs(box.take(10))).toEqual([4]);
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'outbox-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('survives a restart with what was not acked, in order', () => {
      const box = new Outbox(big, dir, clock);
      for (let i = 1; i <= 5; i++) box.push(reading(i));
      box.push(event(9));
      box.close();
      box.ack('reading', box.take(0).length);
      box.take(10);
      box.ack('event', 1);
      box.take(2);
      box.ack('reading', 2);
      box.close();
      const again = new Outbox(big, dir, clock);
      expect(again.stats()).toMatchObject({ events: 0, readings: 3 });
      expect(seqs(again.take(10))).toEqual([3, 4, 5]);
    });

    it('keeps drops behind in-flight items across a restart', () => {
      const one = JSON.stringify(reading(1)).length + 1;
      const box = new Outbox({ maxBytes: one * 3, maxAgeMs: 60_000 }, dir, clock);
      for (let i = 1; i <= 3; i++) box.push(reading(i));
      box.take(1);
      box.push(reading(4));
      box.close();
      expect(seqs(new Outbox(big, dir, clock).take(10))).toEqual([1, 3, 4]);
    });

    it('skips a torn last line', () => {
      const box = new Outbox(big, dir, clock);
      box.push(reading(1));
      box.close();
      appendFileSync(join(dir, 'readings.jsonl'), '{"kind":"read');
      const again = new Outbox(big, dir, clock);
      expect(again.corrupt).toBe(1);
      expect(seqs(again.take(10))).toEqual([1]);
    });
  });
});
