import { DEFAULT_WINDOW, SeriesWindow, clampWindow } from '../public/series-window.js';

const pt = (ts: number, seq?: number, value = ts / 1000) => ({ ts, value, seq });

describe('SeriesWindow', () => {
  it('keeps readings ordered by (ts, seq) whatever the arrival order', () => {
    const w = new SeriesWindow(10);
    for (const p of [pt(3000, 3), pt(1000, 1), pt(2000, 2), pt(2000, 1)]) w.add(p);
    expect(w.points.map((p) => [p.ts, p.seq])).toEqual([
      [1000, 1],
      [2000, 1],
      [2000, 2],
      [3000, 3],
    ]);
  });

  it('drops a reading with the same (ts, seq) however often it arrives', () => {
    const w = new SeriesWindow(10);
    expect(w.add(pt(1000, 7))).toBe(true);
    expect(w.add(pt(1000, 7))).toBe(false);
    expect(w.add(pt(1000, 8))).toBe(true);
    expect(w.add(pt(1000))).toBe(true);
    expect(w.add(pt(1000))).toBe(false);
    expect(w.size).toBe(3);
  });

  it('slides: never holds more than its capacity, the oldest go first', () => {
    const w = new SeriesWindow(5);
    for (let i = 1; i <= 12; i++) w.add(pt(i * 1000, i));
    expect(w.points.map((p) => p.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(w.lastTs).toBe(12_000);
  });

  it('ignores a reading older than everything in a full window', () => {
    const w = new SeriesWindow(3);
    for (let i = 5; i <= 7; i++) w.add(pt(i * 1000, i));
    const version = w.version;
    expect(w.add(pt(1000, 1))).toBe(false);
    expect(w.version).toBe(version);
  });

  it('merges a backfill that overlaps the live readings without duplicates or gaps', () => {
    const w = new SeriesWindow(50);
    // live up to seq 10, a gap (11-15 stored while the push was down), live again from 16
    for (let i = 1; i <= 10; i++) w.add(pt(i * 500, i));
    for (let i = 16; i <= 18; i++) w.add(pt(i * 500, i));
    const backfill = [];
    for (let i = 9; i <= 17; i++) backfill.push(pt(i * 500, i));
    expect(w.addMany(backfill)).toBe(5);
    expect(w.points.map((p) => p.seq)).toEqual(Array.from({ length: 18 }, (_, i) => i + 1));
  });

  it('rejects non-finite values and timestamps', () => {
    const w = new SeriesWindow(5);
    expect(w.add({ ts: NaN, value: 1 })).toBe(false);
    expect(w.add({ ts: 1, value: Infinity })).toBe(false);
    expect(w.size).toBe(0);
  });

  it('shows history buckets only before the first raw reading and within the capacity', () => {
    const w = new SeriesWindow(4);
    w.setHistory([pt(1000), pt(2000), pt(3000), pt(4000), pt(5000)]);
    expect(w.chartData()[0]).toEqual([2, 3, 4, 5]);
    w.add(pt(4500, 1));
    w.add(pt(6000, 2));
    // history at 5000 is not before the first raw reading (4500): hidden
    expect(w.chartData()[0]).toEqual([3, 4, 4.5, 6]);
    w.add(pt(7000, 3));
    w.add(pt(8000, 4));
    expect(w.chartData()[0]).toEqual([4.5, 6, 7, 8]);
  });

  it('resizes, keeping the newest readings', () => {
    const w = new SeriesWindow(10);
    for (let i = 1; i <= 10; i++) w.add(pt(i, i));
    w.resize(3);
    expect(w.points.map((p) => p.seq)).toEqual([8, 9, 10]);
  });
});

describe('clampWindow', () => {
  it.each([
    [undefined, DEFAULT_WINDOW],
    ['abc', DEFAULT_WINDOW],
    ['', DEFAULT_WINDOW],
    [1.5, DEFAULT_WINDOW],
    ['200', 200],
    [1, 2],
    [1e9, 2000],
  ])('%p -> %p', (input, expected) => {
    expect(clampWindow(input)).toBe(expected);
  });
});
