import { Module } from '@nestjs/common';
import { NotificationOutbox } from './notification-outbox';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

@Module({
  controllers: [WebhooksController],
  providers: [NotificationOutbox, WebhookDispatcher, WebhooksService],
  exports: [NotificationOutbox, WebhookDispatcher],
})
export class NotificationsModule {}
