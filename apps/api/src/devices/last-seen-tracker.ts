/**
 * Notes which devices sent readings and marks them seen in one UPDATE every few seconds,
 * instead of one per request.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { touchDevices, PgConnections } from '@iotmon/persistence';

const FLUSH_MS = 5_000;

@Injectable()
export class LastSeenTracker implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(LastSeenTracker.name);
  private seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(PgConnections) private readonly pg: PgConnections) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  noteDevices(ids: readonly string[]): void {
    for (const id of ids) this.seen.add(id);
  }

  async flush(): Promise<void> {
    if (this.seen.size === 0) return;
    const ids = [...this.seen];
    this.seen = new Set();
    try {
      await touchDevices(this.pg, ids, new Date());
    } catch (e) {
      this.log.warn(`could not mark ${ids.length} devices seen: ${(e as Error).message}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
