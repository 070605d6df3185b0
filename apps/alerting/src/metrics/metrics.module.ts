import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { mqttConsumerMetricProviders, sampleOnScrape } from '@iotmon/server-kit';
import { PgConnections } from '@iotmon/persistence';
import { AlertingMetrics, alertingMetricProviders, SEVERITIES } from './alerting-metrics';

@Global()
@Module({
  providers: [...alertingMetricProviders, AlertingMetrics, ...mqttConsumerMetricProviders],
  exports: [AlertingMetrics, ...mqttConsumerMetricProviders],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    @Inject(AlertingMetrics) private readonly metrics: AlertingMetrics,
    @Inject(PgConnections) private readonly pg: PgConnections,
  ) {}

  onModuleInit(): void {
    // Sampled on scrape: the hot-path pool, and open episodes (partial index on open ones).
    sampleOnScrape(this.metrics.dbPool, (gauge) => {
      const p = this.pg.pool;
      gauge.set({ state: 'total' }, p.totalCount);
      gauge.set({ state: 'idle' }, p.idleCount);
      gauge.set({ state: 'waiting' }, p.waitingCount);
    });
    sampleOnScrape(this.metrics.alarmsOpen, async (gauge) => {
      const rows = await this.pg.rows<{ severity: string; n: string }>(
        `SELECT severity, count(*) AS n FROM alarms WHERE state <> 'cleared' GROUP BY severity`,
        [],
      );
      for (const severity of SEVERITIES) gauge.set({ severity }, 0);
      for (const r of rows) gauge.set({ severity: r.severity }, Number(r.n));
    });
  }
}
