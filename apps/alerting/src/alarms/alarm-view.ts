/** Alarm rows as PostgreSQL returns them, and the JSON shape REST, webhooks and the live feed use. */
import type { Alarm, AlarmState, SensorKind, Severity } from '@iotmon/domain';

export type AlarmChange =
  'raised' | 'repeated' | 'escalated' | 'acknowledged' | 'shelved' | 'unshelved' | 'cleared';

export const ALARM_STATES: readonly AlarmState[] = ['active', 'acknowledged', 'cleared', 'shelved'];
export const SEVERITY_RANK: Record<Severity, number> = { info: 1, warning: 2, critical: 3 };
/** SQL expression for the rank of a severity column or parameter. */
export const sqlRank = (expr: string) =>
  `array_position(ARRAY['info','warning','critical']::text[], ${expr})`;

export interface AlarmRow {
  id: string;
  device_id: string;
  sensor: SensorKind;
  rule_id: string;
  state: AlarmState;
  severity: Severity;
  message: string;
  first_at: Date;
  last_at: Date;
  count: number;
  peak_value: number;
  min_value: number;
  last_value: number;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
  shelved_until: Date | null;
  cleared_by: string | null;
  cleared_at: Date | null;
  updated_at: Date;
}

export const ALARM_COLUMNS = `id::text, device_id, sensor, rule_id, state, severity, message, first_at,
  last_at, count, peak_value, min_value, last_value, acknowledged_by, acknowledged_at,
  shelved_until, cleared_by, cleared_at, updated_at`;

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

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toAlarmView(r: AlarmRow): AlarmView {
  return {
    id: String(r.id),
    deviceId: r.device_id,
    sensor: r.sensor,
    ruleId: r.rule_id,
    state: r.state,
    severity: r.severity,
    message: r.message,
    firstAt: r.first_at.toISOString(),
    lastAt: r.last_at.toISOString(),
    count: r.count,
    peakValue: r.peak_value,
    minValue: r.min_value,
    lastValue: r.last_value,
    acknowledgedBy: r.acknowledged_by,
    acknowledgedAt: iso(r.acknowledged_at),
    shelvedUntil: iso(r.shelved_until),
    clearedBy: r.cleared_by,
    clearedAt: iso(r.cleared_at),
    updatedAt: r.updated_at.toISOString(),
  };
}
