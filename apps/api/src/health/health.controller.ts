import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { MqttHealthIndicator } from '@iotmon/messaging';
import { Access } from '../auth/access.decorator';

@ApiTags('operations')
@Access('public')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly mqtt: MqttHealthIndicator,
  ) {}

  /** Liveness: the process answers. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live() {
    return { status: 'ok' };
  }

  /**
   * Readiness: PostgreSQL is reachable. The broker is not part of it: while only the broker is
   * down REST still stores readings (their announcement waits in the MQTT client), so an
   * orchestrator must not take REST away; the broker's state is in GET /health.
   */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL is reachable (503 when not)' })
  @HealthCheck()
  ready() {
    return this.health.check([() => this.db.pingCheck('database', { timeout: 1_500 })]);
  }

  /** Everything this process depends on: PostgreSQL and the broker (503 when one is down). */
  @Get()
  @ApiOperation({ summary: 'PostgreSQL and the broker are reachable (503 when one is not)' })
  @HealthCheck()
  all() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 1_500 }),
      () => this.mqtt.check(),
    ]);
  }
}
