/** The JSON shape of an alarm and its changes in REST, webhooks and the live feed (built in SQL: alarm-sql.ts). */
import type { Alarm, AlarmState } from '@iotmon/domain';

export type AlarmChange =
  'raised' | 'repeated' | 'escalated' | 'acknowledged' | 'shelved' | 'unshelved' | 'cleared';

export const ALARM_STATES: readonly AlarmState[] = ['active', 'acknowledged', 'cleared', 'shelved'];

/** The domain's Alarm plus what REST, webhooks and the live feed also show. */
export interface AlarmView extends Alarm {
  /** Lowest value seen in the episode (the peak of a "below" rule). */
  minValue: number;
  lastValue: number;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  shelvedUntil: string | null;
  clearedBy: string | null;
  clearedAt: string | null;
  updatedAt: string;
}

/** One transition of an alarm, as pushed live, sent to webhooks and listed in its history. */
export interface AlarmChangeEvent {
  /** alarm_history id: the live feed's event id (Last-Event-ID). */
  id: string;
  change: AlarmChange;
  from: AlarmState | null;
  to: AlarmState;
  at: string;
  actor: string | null;
  note: string | null;
  /** Time of the edge event behind the change (epoch ms), when there is one. */
  eventTs: number | null;
  value: number | null;
  alarm: AlarmView;
}
