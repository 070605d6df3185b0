import { Controller, Get, Inject, type Type } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Access } from '../access/access.decorator';
import { READINESS_CHECKS, Readiness, type ReadinessCheck } from './readiness';

/**
 * /health/live and /health/ready (terminus); `readyPaths` adds '' (GET /health) for apps whose
 * /health is not a report of their own (the edge's is).
 */
export function healthController(readyPaths: string[]): Type<unknown> {
  @ApiTags('operations')
  @Access('public')
  @Controller('health')
  class HealthController {
    constructor(
      readonly health: HealthCheckService,
      readonly readiness: Readiness,
      @Inject(READINESS_CHECKS) readonly checks: readonly ReadinessCheck[],
    ) {}

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
      return this.health.check(this.readiness.functions(this.checks));
    }
  }
  return HealthController;
}
