import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';
import { Public } from '../auth/access.decorator';

/** /metrics of every app: prom-client's registry (one per process) in text format 0.0.4. */
@ApiTags('operations')
@Controller()
export class MetricsController extends PrometheusController {
  @Get()
  @Public()
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format 0.0.4)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Metrics in Prometheus text format', type: String })
  override async index(@Res({ passthrough: true }) response: unknown): Promise<string> {
    // prom-client 15 writes NaN as `Nan`, which Prometheus refuses; the event-loop lag gauges
    // are NaN when no loop iteration was sampled since the last scrape (two scrapes close
    // together, a busy start-up).
    return (await super.index(response)).replace(/ Nan$/gm, ' NaN');
  }
}
