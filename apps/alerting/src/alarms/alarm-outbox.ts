/**
 * What recording an alarm change needs from the feature that notifies on it. Alarms own the
 * change statement; the feature behind this port (notifications) owns its outbox SQL and the
 * sending, so data flows alarms -> notifications and alarms never import notifications.
 * NotificationsModule provides it (global), AppModule wires the two.
 */
export abstract class AlarmOutbox {
  /**
   * CTEs spliced into the change statement after `j` (one row per change: the alarm columns,
   * change, state, history_id, event). They must end with a CTE named `outbox` holding one
   * row: `deliveries` (int, rows written) and `sends` (json array, rows to send after commit).
   */
  abstract readonly sql: string;

  /** Hands the committed statement's `sends` over to be sent. */
  abstract send(sends: readonly unknown[]): void;

  /** Rows were written that this replica did not lease (held, or over its room): look for them. */
  abstract wake(): void;
}
