import { Controller, Get } from '@nestjs/common';
import { Access } from '@iotmon/server-kit';
import { EdgeHealth, type HealthReport } from './edge-health';

@Access('public')
@Controller('health')
export class HealthController {
  constructor(private readonly health: EdgeHealth) {}

  @Get()
  report(): HealthReport {
    return this.health.report();
  }
}
