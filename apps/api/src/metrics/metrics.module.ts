import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { Pool } from 'pg';
import { collectDefaultMetrics, register } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ApiMetrics } from './api-metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({
  imports: [
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      // Registered once per process below: prom-client refuses a second registration.
      defaultMetrics: { enabled: false },
    }),
  ],
  providers: [ApiMetrics],
  exports: [ApiMetrics],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    if (!register.getSingleMetric('process_cpu_seconds_total')) collectDefaultMetrics();
    const pool = () => (this.db.driver as PostgresDriver).master as Pool | undefined;
    // Sampled on scrape rather than on every checkout.
    const gauge = this.metrics.dbPool as unknown as { collect?: () => void };
    gauge.collect = () => {
      const p = pool();
      if (!p) return;
      this.metrics.dbPool.set({ state: 'total' }, p.totalCount);
      this.metrics.dbPool.set({ state: 'idle' }, p.idleCount);
      this.metrics.dbPool.set({ state: 'waiting' }, p.waitingCount);
    };
  }
}
