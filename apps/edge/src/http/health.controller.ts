import { Controller, Get } from '@nestjs/common';
import { Public } from '@iotmon/server-kit';
import { EdgeHealth, type HealthReport } from './edge-health';

@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: EdgeHealth) {}

  @Get()
  report(): HealthReport {
    return this.health.report();
  }
}
