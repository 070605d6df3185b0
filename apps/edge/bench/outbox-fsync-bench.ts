/**
 * What making the outbox durable costs: the real Outbox on disk, readings pushed as fast as
 * one core allows for BENCH_SECONDS each, in three modes measured in the same run:
 *   grouped  the shipped mode: appends written and fdatasync'ed once per OUTBOX_FLUSH_MS group
 *   per-item one fdatasync per append (the naive durable outbox)
 *   no-sync  the same writes, flushed every turn, without fdatasync (the peer: what the
 *            outbox did before it was durable)
 * Last line: `outbox_grouped_per_s=<n> outbox_per_item_per_s=<n> outbox_nosync_per_s=<n> grouped_vs_nosync=<r>`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Reading } from '@iotmon/domain';
import { Outbox } from '../src/outbox/outbox';

if (process.argv.includes('--help')) {
  console.log(
    'usage: node tools/run-ts.mjs apps/edge/bench/outbox-fsync-bench.ts  (env BENCH_SECONDS=3, OUTBOX_FLUSH_MS=10)',
  );
  process.exit(0);
}
const seconds = Number(process.env['BENCH_SECONDS'] ?? 3);
const flushMs = Number(process.env['OUTBOX_FLUSH_MS'] ?? 10);
const limits = { maxBytes: 1 << 30, maxAgeMs: 86_400_000 };

/** Pushes readings in slices of `slice` per event-loop turn; returns readings/s made durable. */
async function run(
  mode: 'grouped' | 'per-item' | 'no-sync',
): Promise<{ rate: number; syncs: number }> {
  const dir = mkdtempSync(join(tmpdir(), `outbox-bench-${mode}-`));
  let durable = 0;
  let syncs = 0;
  const box: Outbox = new Outbox(limits, dir, Date.now, {
    flushMs: mode === 'grouped' ? flushMs : 1e9,
    sync: mode !== 'no-sync',
    onDurable: () => {
      syncs++;
      durable = box.stats().readings;
    },
  });
  let seq = 0;
  const started = Date.now();
  const end = started + seconds * 1000;
  while (Date.now() < end) {
    const slice = mode === 'per-item' ? 1 : 200;
    for (let i = 0; i < slice; i++) {
      const r: Reading = {
        deviceId: 'b',
        sensor: 'temperature',
        value: 21.5,
        ts: Date.now(),
        seq: ++seq,
      };
      box.push({ kind: 'reading', reading: r, late: false, at: r.ts });
    }
    if (mode !== 'grouped') await box.flush();
    await new Promise((r) => setImmediate(r));
  }
  await box.flush();
  durable = box.stats().readings;
  const elapsed = (Date.now() - started) / 1000;
  await box.close();
  rmSync(dir, { recursive: true, force: true });
  return { rate: durable / elapsed, syncs: syncs / elapsed };
}

async function main(): Promise<void> {
  const grouped = await run('grouped');
  const perItem = await run('per-item');
  const noSync = await run('no-sync');
  for (const [name, r] of [
    ['grouped', grouped],
    ['per-item', perItem],
    ['no-sync', noSync],
  ] as const)
    console.log(
      `${name}: ${Math.round(r.rate)} readings/s durable, ${Math.round(r.syncs)} flushes/s`,
    );
  console.log(
    `outbox_grouped_per_s=${Math.round(grouped.rate)} outbox_per_item_per_s=${Math.round(perItem.rate)} outbox_nosync_per_s=${Math.round(noSync.rate)} grouped_vs_nosync=${(grouped.rate / noSync.rate).toFixed(2)}`,
  );
}

void main();
