/** Entities and migrations owned by alerting (events, alarms, rule sets, webhooks). Add new ones here. */
import type { SchemaClass } from './schema-class';
import { CreateAlarmsWebhooksRuleSets1795306000000 } from './alerting/1795306000000-create-alarms-webhooks-rule-sets';
import { AlarmHistoryEntity } from './alerting/alarm-history.entity';
import { AlarmEntity } from './alerting/alarm.entity';
import { RuleSetAssignmentEntity, RuleSetEntity } from './alerting/rule-set.entity';
import { WebhookAttemptEntity, WebhookDeliveryEntity } from './alerting/webhook-delivery.entity';
import { WebhookSubscriptionEntity } from './alerting/webhook-subscription.entity';
import { ConstraintEventEntity } from './entities/constraint-event.entity';

export const ALERTING_ENTITIES: SchemaClass[] = [
  ConstraintEventEntity,
  AlarmEntity,
  AlarmHistoryEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  WebhookAttemptEntity,
  RuleSetEntity,
  RuleSetAssignmentEntity,
];
export const ALERTING_MIGRATIONS: SchemaClass[] = [CreateAlarmsWebhooksRuleSets1795306000000];
