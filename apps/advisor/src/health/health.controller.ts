/** Liveness, and readiness: the advisor is ready once it has evaluated at least once. */
import { Controller, Get, HttpException } from '@nestjs/common';
import { FindingsEngine } from '../advice/findings-engine';
import { Access } from '../auth/access.decorator';

@Controller('health')
export class HealthController {
  constructor(private readonly engine: FindingsEngine) {}

  @Get('live')
  @Access('public')
  live() {
    return { status: 'ok' };
  }

  /** Ready even while PostgreSQL is away: reporting that is its job. */
  @Get(['', 'ready'])
  @Access('public')
  ready() {
    const at = this.engine.advice().at;
    if (Date.parse(at) === 0) throw new HttpException({ status: 'starting' }, 503);
    return { status: 'ok', evaluatedAt: at };
  }
}
