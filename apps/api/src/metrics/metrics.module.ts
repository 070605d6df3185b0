import { Global, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sampleOnScrape } from '@iotmon/server-kit';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { ApiMetrics, apiMetricProviders } from './api-metrics';

@Global()
@Module({
  providers: [...apiMetricProviders, ApiMetrics],
  exports: [ApiMetrics],
})
export class MetricsModule implements OnModuleInit {
  constructor(
    @Inject(ApiMetrics) private readonly metrics: ApiMetrics,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    const pool = () => (this.db.driver as PostgresDriver).master as Pool | undefined;
    // Sampled on scrape rather than on every checkout.
    sampleOnScrape(this.metrics.dbPool, (gauge) => {
      const p = pool();
      if (!p) return;
      gauge.set({ state: 'total' }, p.totalCount);
      gauge.set({ state: 'idle' }, p.idleCount);
      gauge.set({ state: 'waiting' }, p.waitingCount);
    });
  }
}
