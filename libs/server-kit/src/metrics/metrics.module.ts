/**
 * Prometheus metrics in one style: @willsoto/nestjs-prometheus on prom-client's registry (one
 * per process). Apps declare theirs with make*Provider and inject them with @InjectMetric; a
 * metric declared again (a second app in one test process) is reused, not registered twice.
 */
import { Global, Module, type OnModuleInit } from '@nestjs/common';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { collectDefaultMetrics, register } from 'prom-client';
import { recordCertificateExpiry } from './certificate-expiry';
import { HttpMetrics, httpDurationProvider } from './http-metrics';
import { MetricsController } from './metrics.controller';

const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

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
  providers: [httpDurationProvider, HttpMetrics],
  exports: [HttpMetrics],
})
export class KitMetricsModule implements OnModuleInit {
  onModuleInit(): void {
    if (register.getSingleMetric('process_cpu_seconds_total')) return;
    collectDefaultMetrics();
    // Gauges named like counters (promtool check metrics flags them); the same counts stay
    // in nodejs_active_handles / _requests / _resources, by type.
    for (const name of MISNAMED_DEFAULTS) register.removeSingleMetric(name);
    recordCertificateExpiry();
  }
}
