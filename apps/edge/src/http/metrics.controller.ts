import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { EdgeMetrics } from './edge-metrics';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: EdgeMetrics) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.text();
    await reply.header('Content-Type', contentType).send(body);
  }
}
