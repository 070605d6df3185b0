/** Serves the live dashboard (apps/dashboard) at /dashboard/, next to /live and /alerts. */
import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppError } from '@iotmon/server-kit';
import { ApiProxy } from './api-proxy.service';
import { DASHBOARD_CONFIG, loadDashboardConfig } from './dashboard-config';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
import { pageCsp } from './page-csp';
import { StaticFiles } from './static-files';

@Module({
  controllers: [DashboardController],
  providers: [
    { provide: DASHBOARD_CONFIG, useFactory: () => loadDashboardConfig(process.env) },
    StaticFiles,
    ApiProxy,
    DashboardService,
  ],
})
export class DashboardModule implements OnModuleInit {
  constructor(
    private readonly adapter: HttpAdapterHost,
    private readonly dashboard: DashboardService,
  ) {}

  /** Nest drops a route's trailing slash, and /dashboard/ is the documented address. */
  onModuleInit(): void {
    const fastify = this.adapter.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || typeof fastify.get !== 'function') return;
    fastify.get('/dashboard/', async (_req, reply) => {
      const f = await this.dashboard.file('index.html');
      if (!f) throw AppError.notFound('file index.html');
      return reply
        .type(f.contentType)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', pageCsp(f.body))
        .send(f.body);
    });
  }
}
