import { Global, Module } from '@nestjs/common';
import { AlarmOutbox } from '../alarms/alarm-outbox';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { WebhookDispatcher } from './webhook-dispatcher.service';
import { WebhookOutbox } from './webhook-outbox';
import { WebhooksController } from './webhooks.controller';
import { WebhookTargetPolicy } from './webhook-target-policy';
import { WebhooksService } from './webhooks.service';

// Global: AlarmsModule injects AlarmOutbox without importing this module (alarms never import
// notifications; data flows alarms -> notifications).
@Global()
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
    { provide: AlarmOutbox, useClass: WebhookOutbox },
  ],
  exports: [WebhookDispatcher, AlarmOutbox],
})
export class NotificationsModule {}
