import { Controller, Get } from '@nestjs/common';
import { EdgeHealth, type HealthReport } from './edge-health';

@Controller('health')
export class HealthController {
  constructor(private readonly health: EdgeHealth) {}

  @Get()
  report(): HealthReport {
    return this.health.report();
  }
}
