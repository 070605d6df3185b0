/** Notifications' side of the alarm change statement: its outbox SQL, and sending after commit. */
import { Inject, Injectable } from '@nestjs/common';
import { AlarmOutbox } from '../alarms/alarm-outbox';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { outboxSql, type LeasedDelivery } from './outbox-sql';
import { WebhookDispatcher } from './webhook-dispatcher.service';

@Injectable()
export class WebhookOutbox extends AlarmOutbox {
  readonly sql: string;

  constructor(
    private readonly dispatcher: WebhookDispatcher,
    @Inject(ALERTING_CONFIG) config: AlertingConfig,
  ) {
    super();
    this.sql = outboxSql(config.webhooks.notifyWindowMs);
  }

  /** `sends` is the `sends` column of this.sql's `outbox` CTE: LeasedDelivery rows. */
  send(sends: readonly unknown[]): void {
    this.dispatcher.send(sends as readonly LeasedDelivery[]);
  }

  wake(): void {
    this.dispatcher.kick();
  }
}
