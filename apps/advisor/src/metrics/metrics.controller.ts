import { Controller, Get, Header } from '@nestjs/common';
import { Access } from '../auth/access.decorator';
import { AdvisorMetrics } from './advisor-metrics';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AdvisorMetrics) {}

  @Get()
  @Access('public')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
