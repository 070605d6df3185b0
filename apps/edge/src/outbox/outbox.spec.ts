import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConstraintEvent, Reading } from '@iotmon/domain';
import { Outbox, type OutboxItem } from './outbox';

const reading = (
  seq: number,
  at = 1_000,
  sensor: Reading['sensor'] = 'temperature',
): OutboxItem => ({
  kind: 'reading',
  reading: { deviceId: 'n1', sensor, value: 20, ts: at, seq } as Reading,
  late: true,
  at,
});
const event = (seq: number, at = 1_000): OutboxItem => ({
  kind: 'event',
  event: {
    deviceId: 'n1',
    sensor: 'temperature',
    ruleId: 'r',
    state: 'raised',
    severity: 'warning',
    value: 31,
    ts: at,
    message: '',
    seq,
  } as ConstraintEvent,
  late: true,
  at,
});
const seqs = (items: OutboxItem[]) =>
  items.map((i) => (i.kind === 'reading' ? i.reading.seq : i.event.seq));

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
    const all = box.take(10);
    expect(all.map((i) => i.kind)).toEqual(['event', 'event', 'reading', 'reading']);
    expect(seqs(all)).toEqual([10, 11, 1, 2]);
  });

  it('keeps sent items until the commit ack names them, in any order', () => {
    const box = new Outbox(big, undefined, clock);
    for (let i = 1; i <= 6; i++) box.push(reading(i));
    expect(seqs(box.take(10))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(box.inFlight).toBe(6);
    // A later batch committed first: the earlier one stays.
    expect(box.acked('temperature', [[4, 6]])).toBe(3);
    expect(box.stats()).toMatchObject({ readings: 3, inFlight: 3, committed: 3 });
    expect(
      box.acked('temperature', [
        [1, 3],
        [4, 6],
      ]),
    ).toBe(3);
    expect(box.empty).toBe(true);
    expect(box.take(10)).toEqual([]);
  });

  it('acks streams separately: a sensor seq does not ack another sensor', () => {
    const box = new Outbox(big, undefined, clock);
    box.push(reading(1, 1_000, 'temperature'));
    box.push(reading(1, 1_000, 'humidity'));
    box.take(10);
    box.acked('humidity', [[1, 1]]);
    expect(box.stats().readings).toBe(1);
    box.acked('event', [[1, 1]]);
    expect(box.stats().readings).toBe(1);
  });

  it('sends again what stayed unacked past the timeout, or everything after a reconnect', () => {
    const box = new Outbox(big, undefined, clock);
    for (let i = 1; i <= 4; i++) box.push(reading(i));
    box.take(2);
    now = 3_000;
    box.take(2);
    box.acked('temperature', [[2, 2]]);
    now = 11_500;
    // 1 was sent at 1000 (10.5 s ago), 3 and 4 at 3000 (8.5 s ago).
    expect(box.requeue(10_000)).toBe(1);
    expect(seqs(box.take(10))).toEqual([1]);
    expect(box.requeue()).toBe(3);
    expect(seqs(box.take(10))).toEqual([1, 3, 4]);
  });

  it('bounds what is handed out by the caller (the send window)', () => {
    const box = new Outbox(big, undefined, clock);
    for (let i = 1; i <= 5; i++) box.push(reading(i));
    expect(seqs(box.take(2))).toEqual([1, 2]);
    expect(seqs(box.take(2))).toEqual([3, 4]);
    expect(box.inFlight).toBe(4);
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
    const left = seqs(box.take(10).filter((i) => i.kind === 'reading'));
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
    expect(seqs(box.take(100)).at(-1)).toBe(40);
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

  describe('on disk', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'outbox-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('hands out an item only once its group is on disk', async () => {
      let durable = 0;
      const box = new Outbox(big, dir, clock, { flushMs: 60_000, onDurable: () => durable++ });
      box.push(reading(1));
      box.push(reading(2));
      expect(box.take(10)).toEqual([]);
      await box.flush();
      expect(durable).toBe(1);
      expect(readFileSync(join(dir, 'readings.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
      expect(seqs(box.take(10))).toEqual([1, 2]);
      await box.close();
    });

    it('survives a restart with what was not committed, in order, and keeps the sequence', async () => {
      const box = new Outbox(big, dir, clock);
      for (let i = 1; i <= 5; i++) box.push(reading(i));
      box.push(event(9));
      await box.flush();
      box.take(10);
      box.acked('event', [[9, 9]]);
      box.acked('temperature', [[1, 2]]);
      await box.close();
      const again = new Outbox(big, dir, clock);
      expect(again.stats()).toMatchObject({ events: 0, readings: 3 });
      expect(seqs(again.take(10))).toEqual([3, 4, 5]);
      expect(again.lastSeq('temperature')).toBe(5);
      expect(again.lastSeq('event')).toBe(9);
      await again.close();
    });

    it('remembers the last sequence numbers after it drained completely', async () => {
      const box = new Outbox(big, dir, clock);
      for (let i = 1; i <= 3; i++) box.push(reading(i));
      await box.flush();
      box.take(10);
      box.acked('temperature', [[1, 3]]);
      expect(readFileSync(join(dir, 'readings.jsonl'), 'utf8')).toBe('');
      const again = new Outbox(big, dir, clock);
      expect(again.empty).toBe(true);
      expect(again.lastSeq('temperature')).toBe(3);
    });

    it('keeps the open alarms it was told about', async () => {
      const box = new Outbox(big, dir, clock);
      const open = [(event(1) as { event: ConstraintEvent }).event];
      box.setOpenAlarms(open);
      expect(new Outbox(big, dir, clock).openAlarms).toEqual(open);
    });

    it('skips a torn last line', async () => {
      const box = new Outbox(big, dir, clock);
      box.push(reading(1));
      await box.close();
      appendFileSync(join(dir, 'readings.jsonl'), '{"kind":"read');
      const again = new Outbox(big, dir, clock);
      expect(again.corrupt).toBe(1);
      expect(seqs(again.take(10))).toEqual([1]);
    });
  });
});
