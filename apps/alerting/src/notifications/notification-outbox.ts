/**
 * The webhook outbox contract. Rows are written by the statement that records an alarm
 * change (outbox-sql.ts, spliced into alarms' change statement through AlarmOutbox: subscription filters, per-alarm rate limit, quiet hours), so a change
 * and its notifications commit together or not at all; WebhookDispatcher sends them.
 */
import type { AlarmChange, AlarmChangeEvent } from '../alarms/alarm-view';

export const NOTIFIABLE_CHANGES: readonly AlarmChange[] = [
  'raised',
  'escalated',
  'acknowledged',
  'shelved',
  'unshelved',
  'cleared',
];

/** The JSON body POSTed to a webhook. */
export interface WebhookBody {
  type: 'alarm.change';
  subscriptionId: string;
  event: AlarmChangeEvent;
}
