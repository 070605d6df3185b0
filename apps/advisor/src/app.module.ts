import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ServerKitModule } from '@iotmon/server-kit';
import { AdviceController } from './advice/advice.controller';
import { AdviceService } from './advice/advice.service';
import { FindingsEngine } from './advice/findings-engine';
import { HistoryRepository } from './advice/history.repository';
import { SnapshotCollector } from './advice/snapshot-collector';
import { AdvisorAuthGuard } from './auth/advisor-auth.guard';
import { ADVISOR_CONFIG, type AdvisorConfig } from './config';
import { AdvisorMetrics } from './metrics/advisor-metrics';
import { CertificateChecker } from './sources/certificate-checker';
import { FleetReader } from './sources/fleet-reader';
import { LogTail } from './sources/log-tail';
import { LOGS_SOURCE } from './sources/logs-source';
import { LokiSource } from './sources/loki-source';
import { METRICS_SOURCE } from './sources/metrics-source';
import { PrometheusSource } from './sources/prometheus-source';
import { ScrapeSampler } from './sources/scrape-sampler';

@Module({})
export class AdvisorModule {
  static register(config: AdvisorConfig): DynamicModule {
    return {
      module: AdvisorModule,
      // The kit: error filter, validation pipe, /health (ready even while PostgreSQL is
      // away: reporting that is the advisor's job), /metrics, and the typed config.
      imports: [
        ServerKitModule.forRoot({
          config: { token: ADVISOR_CONFIG, value: config },
          readiness: [],
        }),
      ],
      controllers: [AdviceController],
      providers: [
        AdvisorMetrics,
        FleetReader,
        CertificateChecker,
        // Prometheus when configured, else the apps' own /metrics sampled; Loki, else a log file.
        config.prometheusUrl
          ? { provide: METRICS_SOURCE, useClass: PrometheusSource }
          : ScrapeSampler,
        ...(config.prometheusUrl ? [] : [{ provide: METRICS_SOURCE, useExisting: ScrapeSampler }]),
        config.lokiUrl ? { provide: LOGS_SOURCE, useClass: LokiSource } : LogTail,
        ...(config.lokiUrl ? [] : [{ provide: LOGS_SOURCE, useExisting: LogTail }]),
        SnapshotCollector,
        HistoryRepository,
        FindingsEngine,
        AdviceService,
        { provide: APP_GUARD, useClass: AdvisorAuthGuard },
      ],
    };
  }
}
