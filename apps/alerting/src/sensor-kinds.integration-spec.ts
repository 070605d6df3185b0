/**
 * A sensor kind added to the catalogue (by the api, here by SQL as another process would)
 * reaches the running alerting service by NOTIFY: edges get the catalogue with their config,
 * the kind's default rule raises an alarm on its readings, and rule sets may name it. No
 * restart.
 */
import { topics } from '@iotmon/domain';
import { connectMqtt, type RegistryBroker, whenConnected } from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import type { MqttClient } from 'mqtt';
import { Client } from 'pg';
import type { AlarmPage } from './alarms/alarm-queries.service';
import { startAlertingInstance, type AlertingInstance } from './test-support/alerting-instance';
import {
  startEdgePublisher,
  startTestBroker,
  type EdgePublisher,
} from './test-support/edge-publisher';

interface Config {
  name?: string;
  rules: { id: string; sensor: string }[];
  kinds?: { id: string; unit: string }[];
}

describe('sensor kinds in alerting', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let app: AlertingInstance;
  let edge: EdgePublisher;
  let watcher: MqttClient;
  const configs = new Map<string, Config>();
  const t0 = Date.now() - 60_000;

  const sql = async (text: string) => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...app.admin },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const alarms = async (deviceId: string) =>
    (
      (await (
        await fetch(`${app.baseUrl}/alerts?deviceId=${deviceId}`, { headers: app.admin })
      ).json()) as AlarmPage
    ).items;

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startTestBroker(db.url);
    app = await startAlertingInstance({ DATABASE_URL: db.url, ...broker.env('alerting') });
    edge = await startEdgePublisher(broker);
    watcher = connectMqtt(broker.url, { clientId: 'kinds-watcher', ...broker.login('edge-fleet') });
    await whenConnected(watcher);
    watcher.on('message', (topic, payload) => {
      if (payload.length) configs.set(topic, JSON.parse(payload.toString('utf8')) as Config);
    });
    await watcher.subscribeAsync('env/+/config', { qos: 1 });
  });

  afterAll(async () => {
    await watcher?.endAsync();
    await edge?.close();
    await app?.close();
    await broker?.close();
    await db?.drop();
  });

  it('leaves nodes alone while the catalogue is the built-in one', async () => {
    await edge.readings([{ deviceId: 'kinds-1', sensor: 'temperature', value: 21, ts: t0 }]);
    // A hot reading of another device proves the first was processed.
    await edge.readings([{ deviceId: 'kinds-probe', sensor: 'temperature', value: 45, ts: t0 }]);
    await waitFor(async () => (await alarms('kinds-probe')).length === 1);
    expect(configs.has(topics.config('kinds-1'))).toBe(false);
  });

  it('sends a new kind and its default rule to the nodes, and raises its alarm', async () => {
    await sql(`INSERT INTO sensor_kinds (id, display_name, unit, min, max, decimals, default_rules)
      VALUES ('radon', 'Radon', 'Bq/m³', 0, 5000, 1,
        '[{"id":"radon_high","severity":"critical","kind":"threshold","op":">","value":300}]')`);
    const config = await waitFor(() => configs.get(topics.config('kinds-1')), {
      what: 'the config with the catalogue',
    });
    expect(config.kinds).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'radon', unit: 'Bq/m³' }),
        expect.objectContaining({ id: 'co2', unit: 'ppm' }),
      ]),
    );
    expect(config.rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'radon_high', sensor: 'radon' }),
        expect.objectContaining({ id: 'temperature_alert', sensor: 'temperature' }),
      ]),
    );

    await edge.readings([{ deviceId: 'kinds-1', sensor: 'radon', value: 120, ts: t0 + 1000 }]);
    await edge.readings([{ deviceId: 'kinds-1', sensor: 'radon', value: 420, ts: t0 + 2000 }]);
    const [alarm] = await waitFor(
      async () => {
        const a = await alarms('kinds-1');
        return a.length === 1 && a;
      },
      { what: 'the radon alarm' },
    );
    expect(alarm).toMatchObject({
      sensor: 'radon',
      ruleId: 'radon_high',
      severity: 'critical',
      state: 'active',
    });
  });

  it('accepts rule sets and assignments naming the new kind, and refuses unknown kinds naming the field', async () => {
    const rule = {
      id: 'radon_watch',
      sensor: 'radon',
      severity: 'info',
      kind: 'threshold',
      op: '>',
      value: 100,
    };
    const created = await call('POST', '/rule-sets', {
      name: 'radon',
      ruleSet: { version: 1, rules: [rule] },
    });
    expect(created.status).toBe(201);
    const bad = await call('POST', '/rule-sets', {
      name: 'flux',
      ruleSet: { version: 1, rules: [{ ...rule, sensor: 'flux' }] },
    });
    expect(bad).toMatchObject({ status: 400, body: { field: 'ruleSet.rules[0].sensor' } });
    const id = created.body['id'] as string;
    expect((await call('PUT', `/rule-sets/${id}/assignments`, { sensors: ['radon'] })).status).toBe(
      200,
    );
    expect(await call('PUT', `/rule-sets/${id}/assignments`, { sensors: ['flux'] })).toMatchObject({
      status: 400,
      body: { field: 'sensors[0]' },
    });
    const dash = (await (
      await fetch(`${app.baseUrl}/dashboard/config.json`, { headers: app.admin })
    ).json()) as Config;
    expect(dash.kinds).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'radon' })]));
  });
});
