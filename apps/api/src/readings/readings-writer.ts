/**
 * Coalesces readings from concurrent requests and MQTT messages into large binary COPY
 * statements. While a COPY runs, new requests queue up and go out together in the next one,
 * so batches grow with load and an idle writer adds no delay. `write` resolves only after
 * the rows are committed. A batch that repeats stored rows (a re-sent batch) makes COPY fail
 * as a whole; it is then written with INSERT ... ON CONFLICT DO NOTHING, which is idempotent.
 *
 * Bounded: what is queued or being written is limited in readings and bytes
 * (WRITER_QUEUE_MAX_*). A REST write that finds no room is answered 503 with Retry-After; an
 * MQTT write waits for room, which stops the transport taking messages (the broker holds
 * them). A write that fails because PostgreSQL is away is retried with capped backoff, never
 * dropped: MQTT writes until they commit (their message stays unacknowledged meanwhile), REST
 * writes for WRITER_REST_WAIT_MS, then 503. A write PostgreSQL refuses for its data is split
 * from its batch so the others still commit, and rejected alone.
 *
 * A write is held as its COPY rows (one buffer) and a few numbers, not as reading objects:
 * those die young, so readings waiting for their commit do not fill the old generation
 * (the api's peak RSS under the MQTT ingestion bench, apps/api/BENCHMARKS.md).
 */
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Reading } from '@iotmon/domain';
import {
  COPY_READINGS_SQL,
  copyReadingsBinary,
  decodeReadingRows,
  encodeReadingRows,
  insertReadings,
  isRefusedForData,
  isUniqueViolation,
  PgConnections,
  retryDelayMs,
  sqlOn,
} from '@iotmon/persistence';
import { AppError, pgSpan, sampleOnScrape } from '@iotmon/server-kit';
import { API_CONFIG, type ApiConfig } from '../config';
import { LastSeenTracker } from '../devices/last-seen-tracker';
import { ApiMetrics } from '../metrics/api-metrics';

export type ReadingSource = 'rest' | 'mqtt';

interface Pending {
  /** The readings as COPY rows (encodeReadingRows). */
  rows: Buffer;
  count: number;
  /** Its devices (distinct), for last seen. */
  devices: string[];
  /** Oldest ts of its readings, and of its live (not late) ones: the lag histograms. */
  oldestTs: number;
  oldestLiveTs: number;
  source: ReadingSource;
  /** Past this (Date.now()) a failing write is answered instead of retried (REST). */
  answerBy: number;
  /** Refused in a batch once: written in a statement of its own. */
  alone?: boolean;
  /** Date.now() when queued: the queue's oldest-item age. */
  queuedAt: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** Above this a queued batch is split over several statements. */
const MAX_BATCH_ROWS = 25_000;

/** What REST clients are told to wait when the queue is full or PostgreSQL is away. */
const RETRY_AFTER_S = 2;

@Injectable()
export class ReadingsWriter implements OnApplicationShutdown {
  private readonly log = new Logger(ReadingsWriter.name);
  private queue: Pending[] = [];
  private scheduled = false;
  private running = 0;
  private readonly idle = new Set<() => void>();
  private readonly concurrency: number;
  private readonly maxReadings: number;
  private readonly maxBytes: number;
  private readonly restWaitMs: number;
  /** Queued plus being written, against the limits. */
  private heldReadings = 0;
  private heldBytes = 0;
  /** MQTT writes waiting for room, oldest first. */
  private readonly waiting: (() => void)[] = [];
  /** Failed attempts in a row (PostgreSQL away). */
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closing = false;

  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly metrics: ApiMetrics,
    private readonly lastSeen: LastSeenTracker,
  ) {
    this.concurrency = config.writerConcurrency;
    this.maxReadings = config.writerQueueMaxReadings;
    this.maxBytes = config.writerQueueMaxBytes;
    this.restWaitMs = config.writerRestWaitMs;
    sampleOnScrape(metrics.queueReadings, (g) => g.set(this.queuedReadings()));
    sampleOnScrape(metrics.queueBytes, (g) => g.set(this.heldBytes));
    sampleOnScrape(metrics.queueOldestAge, (g) =>
      g.set(this.queue.length ? (Date.now() - this.queue[0].queuedAt) / 1000 : 0),
    );
  }

  private queuedReadings(): number {
    let n = 0;
    for (const p of this.queue) n += p.count;
    return n;
  }

  /**
   * Resolves once the readings are committed. Not async itself: an async frame keeps its
   * arguments until it ends, and `readings` must not outlive this call (see the header).
   */
  write(readings: readonly Reading[], source: ReadingSource = 'rest'): Promise<void> {
    return readings.length === 0 ? Promise.resolve() : this.enqueue(held(readings), source);
  }

  private async enqueue(item: Held, source: ReadingSource): Promise<void> {
    const { count } = item;
    const bytes = item.rows.length;
    while (!this.hasRoom(count, bytes)) {
      if (source === 'rest')
        throw AppError.unavailable('the readings queue is full; try again', RETRY_AFTER_S);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.heldReadings += count;
    this.heldBytes += bytes;
    const answerBy = source === 'rest' ? Date.now() + this.restWaitMs : Infinity;
    try {
      await new Promise<void>((resolve, reject) => {
        this.queue.push({
          ...item,
          source,
          answerBy,
          queuedAt: Date.now(),
          resolve,
          reject,
        });
        this.schedule();
      });
    } finally {
      this.heldReadings -= count;
      this.heldBytes -= bytes;
      // Room again: let waiting MQTT writes re-check in order (each takes what fits).
      for (const wake of this.waiting.splice(0)) wake();
    }
  }

  /** An empty queue takes any one write, however large, so a big batch cannot wait forever. */
  private hasRoom(readings: number, bytes: number): boolean {
    if (this.heldReadings === 0) return true;
    return (
      this.heldReadings + readings <= this.maxReadings && this.heldBytes + bytes <= this.maxBytes
    );
  }

  /** Flushes after the current tick, so requests parsed in the same tick share a COPY. */
  private schedule(): void {
    if (this.scheduled || this.retryTimer || this.running >= this.concurrency) return;
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
      while (
        take < this.queue.length &&
        (take === 0 || (rows < MAX_BATCH_ROWS && !this.queue[take].alone && !this.queue[0].alone))
      ) {
        rows += this.queue[take++].count;
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
    const started = process.hrtime.bigint();
    let method = 'copy';
    try {
      // withClient drops a connection that failed (PostgreSQL restarting: 57P01) from the pool.
      await this.pg.withClient(async (client) => {
        try {
          // Its span by hand: instrumentation-pg does not see COPY streams.
          await pgSpan(COPY_READINGS_SQL, () =>
            copyReadingsBinary(
              client,
              batch.map((p) => p.rows),
            ),
          );
        } catch (e) {
          if (!isUniqueViolation(e)) throw e;
          method = 'insert';
          await insertReadings(
            sqlOn(client),
            batch.flatMap((p) => decodeReadingRows(p.rows)),
          );
        }
      });
    } catch (e) {
      this.failed(batch, count, e as Error);
      return;
    }
    this.failures = 0;
    this.metrics.commitSeconds.observe({ method }, Number(process.hrtime.bigint() - started) / 1e9);
    this.metrics.batchRows.observe(count);
    const committedAt = Date.now();
    for (const p of batch) {
      this.metrics.readingsIngested.inc({ source: p.source }, p.count);
      this.observeLag(p, committedAt);
      this.lastSeen.noteDevices(p.devices);
      p.resolve();
    }
  }

  /**
   * PostgreSQL away: the batch goes back to the front of the queue and the writer pauses with
   * capped backoff (REST writes past their wait are answered 503). Refused for its data: a
   * batch of several writes is retried one write per statement, a single write is rejected.
   */
  private failed(batch: Pending[], count: number, e: Error): void {
    for (const p of batch) this.metrics.writeFailures.inc({ source: p.source }, p.count);
    if (isRefusedForData(e)) {
      if (batch.length === 1) {
        this.log.error(`PostgreSQL refused ${count} readings: ${e.message}`);
        batch[0].reject(e);
      } else {
        this.log.warn(`PostgreSQL refused a batch of ${count} readings; writing it write by write`);
        this.queue.unshift(...batch.map((p) => ({ ...p, alone: true })));
      }
      return;
    }
    const now = Date.now();
    const retry = batch.filter((p) => {
      if (!this.closing && p.answerBy > now) return true;
      p.reject(
        this.closing
          ? new Error(`not written before shutdown: ${e.message}`)
          : AppError.unavailable('the database is unavailable; try again', RETRY_AFTER_S),
      );
      return false;
    });
    this.queue.unshift(...retry);
    const delay = retryDelayMs(++this.failures);
    this.log.warn(
      `write of ${count} readings failed (${e.message}); retrying ${retry.length} write(s) in ${delay} ms`,
    );
    if (!this.retryTimer && retry.length > 0)
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.flush();
      }, delay);
  }

  /**
   * Ingest lag of each write (a request or an MQTT message): that of its oldest reading; edge
   * to commit likewise for its live readings (the edge stamps ts as it publishes). Once per
   * write, not per reading: two histogram observations per reading were 10 % of the api's CPU
   * in the MQTT ingestion bench (profiled, apps/api/BENCHMARKS.md).
   */
  private observeLag(p: Pending, committedAt: number): void {
    const lag = (ts: number) => Math.max(0, committedAt - ts) / 1000;
    this.metrics.ingestLag.observe({ source: p.source }, lag(p.oldestTs));
    if (p.source === 'mqtt' && p.oldestLiveTs !== Infinity)
      this.metrics.edgeToCommit.observe(lag(p.oldestLiveTs));
  }

  /** Lets what is queued commit; after 10 s (PostgreSQL away) it is given up, unacknowledged. */
  async onApplicationShutdown(): Promise<void> {
    if (this.queue.length === 0 && this.running === 0) return;
    const idle = new Promise<void>((resolve) => this.idle.add(resolve));
    this.flush();
    const giveUp = setTimeout(() => {
      this.closing = true;
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      for (const p of this.queue.splice(0)) p.reject(new Error('not written before shutdown'));
      if (this.running === 0) for (const done of this.idle) done();
    }, 10_000);
    await idle;
    clearTimeout(giveUp);
  }
}

type Held = Pick<Pending, 'rows' | 'count' | 'devices' | 'oldestTs' | 'oldestLiveTs'>;

/** What the queue holds of a write: its COPY rows and what the commit needs to know of it. */
function held(readings: readonly Reading[]): Held {
  const rows = encodeReadingRows(readings);
  const devices = new Set<string>();
  let last = '';
  let oldestTs = Infinity;
  let oldestLiveTs = Infinity;
  for (const r of readings) {
    if (r.ts < oldestTs) oldestTs = r.ts;
    if (!r.late && r.ts < oldestLiveTs) oldestLiveTs = r.ts;
    if (r.deviceId !== last) devices.add((last = r.deviceId));
  }
  return { rows, count: readings.length, devices: [...devices], oldestTs, oldestLiveTs };
}
