/**
 * GET /dashboard/ (the page and its modules), /dashboard/vendor/* (uPlot),
 * /dashboard/config.json and /dashboard/api/* (reads proxied to the api).
 */
import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { Access, Credentials, Public } from '@iotmon/server-kit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '@iotmon/server-kit';
import { ApiProxy, type ProxiedPath, type ProxiedResponse } from './api-proxy.service';
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

  @Get('api/advice')
  @Access('viewer')
  async advice(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    relay(reply, await this.proxy.advisor('/advice', req.url, this.credentials.forwardable(req)));
  }

  @Get('api/advice/history')
  @Access('viewer')
  async adviceHistory(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const credential = this.credentials.forwardable(req);
    relay(reply, await this.proxy.advisor('/advice/history', req.url, credential));
  }

  /** The body is checked by the advisor (its validation names the field); passed as it came. */
  @Post('api/advice/ask')
  @Access('operator')
  async ask(
    @Req() req: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const credential = this.credentials.forwardable(req);
    relay(reply, await this.proxy.advisor('/advice/ask', req.url, credential, { body }));
  }

  @Get(':file')
  @Public()
  async file(@Param('file') file: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.dashboard.file(file || 'index.html'), file);
  }

  private async forward(path: ProxiedPath, req: FastifyRequest, reply: FastifyReply) {
    relay(reply, await this.proxy.get(path, req.url, this.credentials.forwardable(req)));
  }
}

function relay(reply: FastifyReply, r: ProxiedResponse): void {
  if (r.nextCursor) void reply.header('x-next-cursor', r.nextCursor);
  void reply.status(r.status).type(r.contentType).header('cache-control', 'no-store').send(r.body);
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
