import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { LiveQueryDto } from './live-query.dto';
import { LiveHub } from './live-hub.service';

@Controller('live')
export class LiveController {
  constructor(private readonly hub: LiveHub) {}

  /**
   * Server-Sent Events: `event: alarm` (id = alarm history id; reconnect with Last-Event-ID
   * to get missed changes) and `event: reading` (no id; reload history over REST).
   */
  @Get()
  async stream(
    @Query() q: LiveQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    reply.hijack();
    const last = lastEventId ?? q.lastEventId;
    await this.hub.attach(reply.raw, {
      readings: q.readings ?? true,
      alarms: q.alarms ?? true,
      deviceId: q.deviceId,
      lastEventId: last !== undefined && /^\d{1,19}$/.test(last) ? last : undefined,
    });
  }
}
