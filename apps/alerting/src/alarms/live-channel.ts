/**
 * The PostgreSQL NOTIFY channel of alarm changes. Payload: `<historyId>|<deviceId>|<event JSON>`
 * so listeners can route without parsing the JSON.
 */
export const LIVE_CHANNEL = 'iotmon_alarm_changes';
