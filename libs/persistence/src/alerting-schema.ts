/** Migrations owned by alerting (events, alarms, rule sets, webhooks). Add new ones here. */
import type { SchemaClass } from './schema-class';
import { CreateAlarmsWebhooksRuleSets1795306000000 } from './alerting/1795306000000-create-alarms-webhooks-rule-sets';

export const ALERTING_MIGRATIONS: SchemaClass[] = [CreateAlarmsWebhooksRuleSets1795306000000];
