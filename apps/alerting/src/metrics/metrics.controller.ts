import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@iotmon/server-kit';
import { AlertingMetrics } from './alerting-metrics';

@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AlertingMetrics) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
