import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Access, Audit } from '@iotmon/server-kit';
import {
  CreateWebhookDto,
  DeliveriesQueryDto,
  WebhookIdParam,
} from './dto/webhook-subscription.dto';
import { WebhooksService, type DeliveryView, type WebhookView } from './webhooks.service';

/** Subscriptions name outside URLs and hold signing secrets: admin only, reads too. */
@Controller('webhooks')
@Access('admin')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /** Subscribes a URL; the response carries the HMAC secret (only this once). */
  @Post()
  @Audit('webhook.create', {
    target: (_req, r) => (r as WebhookView | undefined)?.id,
    detail: (req) => ({ url: (req.body as CreateWebhookDto).url }),
  })
  create(@Body() body: CreateWebhookDto): Promise<WebhookView> {
    return this.webhooks.create(body);
  }

  @Get()
  list(): Promise<WebhookView[]> {
    return this.webhooks.list();
  }

  @Get(':id')
  get(@Param() p: WebhookIdParam): Promise<WebhookView> {
    return this.webhooks.get(p.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @Audit('webhook.delete')
  remove(@Param() p: WebhookIdParam): Promise<void> {
    return this.webhooks.remove(p.id);
  }

  /** Delivery log: each notification with its attempts; `status=dead` lists dead letters. */
  @Get(':id/deliveries')
  deliveries(@Param() p: WebhookIdParam, @Query() q: DeliveriesQueryDto): Promise<DeliveryView[]> {
    return this.webhooks.deliveries(p.id, q.status);
  }
}
