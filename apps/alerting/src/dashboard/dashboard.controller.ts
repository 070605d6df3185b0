/**
 * GET /dashboard/ (the page and its modules), /dashboard/vendor/* (uPlot),
 * /dashboard/config.json and /dashboard/api/* (reads proxied to the api).
 */
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { Access, Credentials, Public } from '@iotmon/server-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@iotmon/server-kit';
import { ApiProxy, type ProxiedPath } from './api-proxy.service';
import { DashboardService, type PageConfig } from './dashboard.service';
import { pageCsp } from './page-csp';
import type { StaticFile } from './static-files';

/** The page and its files are open (it signs in itself); the proxied reads need a viewer. */
@Controller('dashboard')
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly proxy: ApiProxy,
    private readonly credentials: Credentials,
  ) {}

  @Get()
  @Public()
  async index(@Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.dashboard.file('index.html'), 'index.html');
  }

  @Get('config.json')
  @Public()
  config(): PageConfig {
    return this.dashboard.pageConfig();
  }

  @Get('vendor/:file')
  @Public()
  async vendor(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.dashboard.vendorFile(file), file);
  }

  @Get('api/devices')
  @Access('viewer')
  devices(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('/devices', req, reply);
  }

  @Get('api/readings')
  @Access('viewer')
  readings(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('/readings', req, reply);
  }

  @Get('api/readings/aggregate')
  @Access('viewer')
  aggregate(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.forward('/readings/aggregate', req, reply);
  }

  @Get(':file')
  @Public()
  async file(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.dashboard.file(file || 'index.html'), file);
  }

  private async forward(path: ProxiedPath, req: FastifyRequest, reply: FastifyReply) {
    const r = await this.proxy.get(path, req.url, this.credentials.forwardable(req));
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
  if (f.contentType.startsWith('text/html'))
    void reply.header('content-security-policy', pageCsp(f.body));
  void reply
    .type(f.contentType)
    .header('cache-control', 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .send(f.body);
}
