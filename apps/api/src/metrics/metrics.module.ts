import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { mqttConsumerMetricProviders, sampleOnScrape } from '@iotmon/server-kit';
import { PgConnections } from '@iotmon/persistence';
import { ApiMetrics, apiMetricProviders } from './api-metrics';

@Global()
@Module({
  providers: [...apiMetricProviders, ApiMetrics, ...mqttConsumerMetricProviders],
  exports: [ApiMetrics, ...mqttConsumerMetricProviders],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
    @Inject(PgConnections) private readonly pg: PgConnections,
  ) {}

  onModuleInit(): void {
    // Sampled on scrape rather than on every checkout.
    sampleOnScrape(this.metrics.dbPool, (gauge) => {
      const p = this.pg.pool;
      gauge.set({ state: 'total' }, p.totalCount);
      gauge.set({ state: 'idle' }, p.idleCount);
      gauge.set({ state: 'waiting' }, p.waitingCount);
    });
    sampleOnScrape(this.metrics.devicesPresence, async (gauge) => {
      const rows = await this.pg.rows<{ status: string; n: string }>(
        `SELECT coalesce(presence, 'unknown') AS status, count(*) AS n FROM devices GROUP BY 1`,
        [],
      );
      gauge.reset();
      for (const status of ['online', 'offline']) gauge.set({ status }, 0);
      for (const r of rows) gauge.set({ status: r.status }, Number(r.n));
    });
  }
}
