import { Module } from '@nestjs/common';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhooksController } from './webhooks.controller';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { WebhooksService } from './webhooks.service';

@Module({
  controllers: [WebhooksController],
  providers: [
    {
      provide: WebhookTargetPolicy,
      inject: [ALERTING_CONFIG],
      useFactory: (c: AlertingConfig) => new WebhookTargetPolicy(c.webhooks.targets),
    },
    WebhookDispatcher,
    WebhooksService,
  ],
  exports: [WebhookDispatcher],
})
export class NotificationsModule {}
