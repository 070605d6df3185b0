/**
 * Coalesces readings from concurrent requests and MQTT messages into large binary COPY
 * statements. While a COPY runs, new requests queue up and go out together in the next one,
 * so batches grow with load and an idle writer adds no delay. `write` resolves only after
 * the rows are committed. A batch that repeats stored rows (a re-sent batch) makes COPY fail
 * as a whole; it is then written with INSERT ... ON CONFLICT DO NOTHING, which is idempotent.
 */
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Reading } from '@iotmon/domain';
import {
  copyReadingsBinary,
  encodeReadingsBinary,
  insertReadings,
  isUniqueViolation,
  PgConnections,
  sqlOn,
} from '@iotmon/persistence';
import { pgSpan, sampleOnScrape } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from '../config';
import { LastSeenTracker } from '../devices/last-seen-tracker';
import { ApiMetrics } from '../metrics/api-metrics';

export type ReadingSource = 'rest' | 'mqtt';

interface Pending {
  readings: readonly Reading[];
  source: ReadingSource;
  /** Date.now() when queued: the queue's oldest-item age. */
  queuedAt: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** Rough memory of one queued reading (object, device and sensor strings), for ingest_queue_bytes. */
const READING_BYTES = 160;

/** What copyReadingsBinary runs, for its span (instrumentation-pg does not see COPY streams). */
const COPY_STATEMENT =
  'COPY readings (device_id, sensor, ts, seq, value, late) FROM STDIN (FORMAT binary)';

/** Above this a queued batch is split over several statements. */
const MAX_BATCH_ROWS = 25_000;

@Injectable()
export class ReadingsWriter implements OnApplicationShutdown {
  private readonly log = new Logger(ReadingsWriter.name);
  private queue: Pending[] = [];
  private scheduled = false;
  private running = 0;
  private readonly idle = new Set<() => void>();
  private readonly concurrency: number;

  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly metrics: ApiMetrics,
    private readonly lastSeen: LastSeenTracker,
  ) {
    this.concurrency = config.writerConcurrency;
    sampleOnScrape(metrics.queueReadings, (g) => g.set(this.queuedReadings()));
    sampleOnScrape(metrics.queueBytes, (g) => g.set(this.queuedReadings() * READING_BYTES));
    sampleOnScrape(metrics.queueOldestAge, (g) =>
      g.set(this.queue.length ? (Date.now() - this.queue[0].queuedAt) / 1000 : 0),
    );
  }

  private queuedReadings(): number {
    let n = 0;
    for (const p of this.queue) n += p.readings.length;
    return n;
  }

  write(readings: readonly Reading[], source: ReadingSource = 'rest'): Promise<void> {
    if (readings.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ readings, source, queuedAt: Date.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Flushes after the current tick, so requests parsed in the same tick share a COPY. */
  private schedule(): void {
    if (this.scheduled || this.running >= this.concurrency) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.running < this.concurrency) {
      let rows = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || rows < MAX_BATCH_ROWS)) {
        rows += this.queue[take++].readings.length;
      }
      const batch = this.queue.splice(0, take);
      this.running++;
      void this.commit(batch, rows).finally(() => {
        this.running--;
        if (this.queue.length > 0) this.schedule();
        else if (this.running === 0) for (const done of this.idle) done();
      });
    }
  }

  private async commit(batch: Pending[], count: number): Promise<void> {
    const rows = batch.length === 1 ? batch[0].readings : batch.flatMap((p) => p.readings);
    const started = process.hrtime.bigint();
    let method = 'copy';
    try {
      // withClient drops a connection that failed (PostgreSQL restarting: 57P01) from the pool.
      await this.pg.withClient(async (client) => {
        try {
          await pgSpan(COPY_STATEMENT, () =>
            copyReadingsBinary(client, encodeReadingsBinary(rows)),
          );
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          method = 'insert';
          await insertReadings(sqlOn(client), rows);
        }
      });
    } catch (e) {
      this.log.error(`write of ${count} readings failed: ${(e as Error).message}`);
      for (const p of batch) {
        this.metrics.writeFailures.inc({ source: p.source }, p.readings.length);
        p.reject(e as Error);
      }
      return;
    }
    this.metrics.commitSeconds.observe({ method }, Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.batchRows.observe(count);
    const committedAt = Date.now();
    for (const p of batch) {
      this.metrics.readingsIngested.inc({ source: p.source }, p.readings.length);
      this.observeLag(p, committedAt);
      p.resolve();
    }
    this.lastSeen.noteReadings(rows);
  }

  /**
   * Ingest lag of each write (a request or an MQTT message): that of its oldest reading; edge
   * to commit likewise for its live readings (the edge stamps ts as it publishes). Once per
   * write, not per reading: two histogram observations per reading were 10 % of the api's CPU
   * in the MQTT ingestion bench (profiled, apps/api/BENCHMARKS.md).
   */
  private observeLag(p: Pending, committedAt: number): void {
    let oldest = Infinity;
    let oldestLive = Infinity;
    for (const r of p.readings) {
      if (r.ts < oldest) oldest = r.ts;
      if (!r.late && r.ts < oldestLive) oldestLive = r.ts;
    }
    this.metrics.ingestLag.observe({ source: p.source }, Math.max(0, committedAt - oldest) / 1000);
    if (p.source === 'mqtt' && oldestLive !== Infinity)
      this.metrics.edgeToCommit.observe(Math.max(0, committedAt - oldestLive) / 1000);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return;
    await new Promise<void>((resolve) => {
      this.idle.add(resolve);
      this.flush();
    });
  }
}
