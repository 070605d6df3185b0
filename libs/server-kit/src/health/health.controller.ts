import { Controller, Get, Inject, Optional, type Type } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorFunction,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { MqttHealthIndicator } from '@iotmon/messaging';
import { Public } from '../auth/access.decorator';
import { READINESS_CHECKS, type ReadinessCheck } from './readiness';

/**
 * /health/live and /health/ready (terminus); `readyPaths` adds '' (GET /health) for apps whose
 * /health is not a report of their own (the edge's is).
 */
export function healthController(readyPaths: string[]): Type<unknown> {
  @ApiTags('operations')
  @Public()
  @Controller('health')
  class HealthController {
    private readonly indicators: HealthIndicatorFunction[];

    constructor(
      readonly health: HealthCheckService,
      // Transient in terminus: injected here, not looked up per request.
      db: TypeOrmHealthIndicator,
      @Optional() @Inject(MqttHealthIndicator) mqtt: MqttHealthIndicator | undefined,
      @Inject(READINESS_CHECKS) checks: readonly ReadinessCheck[],
    ) {
      this.indicators = checks.map((check) =>
        check === 'database'
          ? () => db.pingCheck('database', { timeout: 1_500 })
          : () => mqtt!.check(),
      );
    }

    /** Liveness: the process answers. */
    @Get('live')
    @ApiOperation({ summary: 'Liveness: the process answers' })
    live() {
      return { status: 'ok' };
    }

    /** Readiness: the app's dependencies are reachable. */
    @Get(readyPaths)
    @ApiOperation({
      summary: 'Readiness: PostgreSQL and the broker are reachable (503 when not)',
    })
    @HealthCheck()
    ready() {
      return this.health.check(this.indicators);
    }
  }
  return HealthController;
}
