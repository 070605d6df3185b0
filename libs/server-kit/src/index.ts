export * from './auth';
export * from './config/config.module';
export * from './docs/api-errors.decorator';
export * from './docs/error-body.dto';
export * from './errors/app-error';
export * from './errors/error-body';
export * from './errors/error.filter';
export * from './errors/validation.pipe';
export * from './health/readiness';
export * from './http/correlation';
export * from './http/server-app';
export * from './logging/logging';
export * from './metrics/http-metrics';
export * from './metrics/mqtt-consumer-metrics';
export * from './metrics/sample-on-scrape';
export * from './server-kit.module';
export * from './telemetry/tracing';
// Metrics are declared and injected the @willsoto/nestjs-prometheus way, from here.
export {
  getToken as metricToken,
  InjectMetric,
  makeCounterProvider,
  makeGaugeProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
// Typed config reading (names the bad variable and stops the process).
export { ConfigError, EnvReader, loadConfigOrExit } from '@iotmon/config';
export * from './mqtt/mqtt-transport';
export * from './mqtt/start-mqtt-transport';
