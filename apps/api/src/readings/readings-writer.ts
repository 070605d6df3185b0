/**
 * Coalesces readings from concurrent requests and MQTT messages into large set-based
 * inserts. `write` resolves only after the rows of its batch are committed.
 */
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Reading } from '@iotmon/domain';
import { insertReadings } from '@iotmon/persistence';
import type { DataSource } from 'typeorm';

interface Pending {
  readings: readonly Reading[];
  resolve: (inserted: number) => void;
  reject: (e: Error) => void;
}

const MAX_BATCH_ROWS = 10_000;
const LINGER_MS = 5;

@Injectable()
export class ReadingsWriter implements OnApplicationShutdown {
  private readonly log = new Logger(ReadingsWriter.name);
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = new Set<Promise<void>>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  write(readings: readonly Reading[]): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ readings, resolve, reject });
      this.queuedRows += readings.length;
      if (this.queuedRows >= MAX_BATCH_ROWS) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), LINGER_MS);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.queuedRows = 0;
    const done = this.commit(batch).finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }

  private async commit(batch: Pending[]): Promise<void> {
    const rows = batch.length === 1 ? batch[0].readings : batch.flatMap((p) => p.readings);
    try {
      await insertReadings(this.db.manager, rows);
      // Per-request counts are not separable inside one statement; report what was offered.
      for (const p of batch) p.resolve(p.readings.length);
    } catch (e) {
      this.log.error(`insert of ${rows.length} readings failed: ${(e as Error).message}`);
      for (const p of batch) p.reject(e as Error);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.flush();
    await Promise.all(this.inFlight);
  }
}
