/** Keeps daily reading partitions ahead of time and drops those past retention, hourly. */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { maintainReadingPartitions, PgConnections } from '@iotmon/persistence';
import { API_CONFIG, type ApiConfig } from '../config';

const EVERY_MS = 3_600_000;

@Injectable()
export class PartitionMaintenanceService implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(PartitionMaintenanceService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(PgConnections) private readonly pg: PgConnections,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.run();
    this.timer = setInterval(() => void this.run(), EVERY_MS);
    this.timer.unref();
  }

  async run(): Promise<void> {
    try {
      const r = await maintainReadingPartitions(this.pg, {
        daysAhead: this.config.partitionDaysAhead,
        retentionDays: this.config.retentionDays,
      });
      if (r.created || r.dropped) {
        this.log.log(`reading partitions: ${r.created} created, ${r.dropped} dropped`);
      }
    } catch (e) {
      this.log.error(`partition maintenance failed: ${(e as Error).message}`);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
