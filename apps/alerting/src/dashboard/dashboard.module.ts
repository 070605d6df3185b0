/** Serves the live dashboard (apps/dashboard) at /dashboard/, next to /live and /alerts. */
import { Module } from '@nestjs/common';
import { ApiProxy } from './api-proxy.service';
import { DASHBOARD_CONFIG, loadDashboardConfig } from './dashboard-config';
import { DashboardController } from './dashboard.controller';
import { DashboardService } from './dashboard.service';
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
export class DashboardModule {}
