/**
 * GET /dashboard/ (the page and its modules), /dashboard/vendor/* (uPlot),
 * /dashboard/config.json and /dashboard/api/* (reads proxied to the api).
 */
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@iotmon/server-kit';
import { ApiProxy, type ProxiedPath } from './api-proxy.service';
import { DashboardService, type PageConfig } from './dashboard.service';
import type { StaticFile } from './static-files';

@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly proxy: ApiProxy,
  ) {}

  @Get()
  async index(@Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.dashboard.file('index.html'), 'index.html');
  }

  @Get('config.json')
  config(): PageConfig {
    return this.dashboard.pageConfig();
  }

  @Get('vendor/:file')
  async vendor(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.dashboard.vendorFile(file), file);
  }

  @Get('api/devices')
  devices(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('/devices', req, reply);
  }

  @Get('api/readings')
  readings(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('/readings', req, reply);
  }

  @Get('api/readings/aggregate')
  aggregate(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('/readings/aggregate', req, reply);
  }

  @Get(':file')
  async file(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.dashboard.file(file || 'index.html'), file);
  }

  private async forward(path: ProxiedPath, req: FastifyRequest, reply: FastifyReply) {
    const r = await this.proxy.get(path, req.url);
    if (r.nextCursor) void reply.header('x-next-cursor', r.nextCursor);
    void reply
      .status(r.status)
      .type(r.contentType)
      .header('cache-control', 'no-store')
      .send(r.body);
  }
}

function send(reply: FastifyReply, f: StaticFile | undefined, name: string): void {
  if (!f) throw AppError.notFound(`file ${name}`);
  // The page is small and changes with each deploy: revalidate rather than cache stale modules.
  void reply
    .type(f.contentType)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .send(f.body);
}
