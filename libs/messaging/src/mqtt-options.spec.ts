import { consumerFilter, mqttClientOptions, mqttSettingsFromEnv } from './mqtt-options';

describe('mqtt settings', () => {
  it('defaults to the embedded broker with MQTT 3.1.1 and plain subscriptions', () => {
    const s = mqttSettingsFromEnv({});
    expect(s.url).toBe('mqtt://127.0.0.1:1883');
    expect(mqttClientOptions(s, 'api').protocolVersion).toBe(4);
    expect(consumerFilter(s, 'env/+/+/raw')).toBe('env/+/+/raw');
  });

  it('uses MQTT v5 shared subscriptions when a group is set', () => {
    const s = mqttSettingsFromEnv({
      MQTT_URL: 'mqtt://mosquitto:1883',
      MQTT_SHARED_GROUP: 'ingest',
    });
    expect(mqttClientOptions(s, 'api').protocolVersion).toBe(5);
    expect(consumerFilter(s, 'env/+/+/raw')).toBe('$share/ingest/env/+/+/raw');
  });

  it('names MQTT_URL when it is malformed', () => {
    expect(() => mqttSettingsFromEnv({ MQTT_URL: 'localhost:1883' })).toThrow(/MQTT_URL/);
  });
});
