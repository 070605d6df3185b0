/**
 * Rule sets over REST, published on the nodes' retained config topics, and used by the
 * server to evaluate raw readings of devices that have no edge verdict.
 */
import { encodePresence, topics } from '@iotmon/domain';
import { connectMqtt, type RegistryBroker, whenConnected } from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import type { MqttClient } from 'mqtt';
import type { AlarmDetail, AlarmPage } from '../alarms/alarm-queries.service';
import { startAlertingInstance, type AlertingInstance } from '../test-support/alerting-instance';
import {
  startEdgePublisher,
  startTestBroker,
  type EdgePublisher,
} from '../test-support/edge-publisher';
import type { RuleSetView } from './rule-sets.service';

describe('rule sets and server-side evaluation', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let app: AlertingInstance;
  let edge: EdgePublisher;
  let watcher: MqttClient;
  const configs = new Map<string, string>();
  const t0 = Date.UTC(2026, 10, 4, 12);
  const hot = {
    version: 1,
    name: 'hot',
    rules: [
      {
        id: 'too_hot',
        sensor: 'temperature',
        severity: 'critical',
        kind: 'threshold',
        op: '>',
        value: 25,
      },
    ],
  };

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: {
        ...app.admin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as unknown };
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
    watcher = connectMqtt(broker.url, {
      clientId: 'config-watcher',
      ...broker.login('edge-fleet'),
    });
    await whenConnected(watcher);
    watcher.on('message', (topic, payload) => configs.set(topic, payload.toString('utf8')));
    await watcher.subscribeAsync('env/+/config', { qos: 1 });
  });

  afterAll(async () => {
    await watcher?.endAsync();
    await edge?.close();
    await app?.close();
    await broker?.close();
    await db?.drop();
  });

  it('rejects an invalid rule set naming the path of the bad field', async () => {
    const bad = await call('POST', '/rule-sets', {
      name: 'bad',
      ruleSet: { version: 1, rules: [{ ...hot.rules[0], value: 'hot' }] },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/ruleSet\.rules\[0\]\.value/);
    const noBody = await call('POST', '/rule-sets', { name: 'x' });
    expect(noBody.status).toBe(400);
    expect(JSON.stringify(noBody.body)).toMatch(/ruleSet/);
  });

  it('creates, assigns and updates a set, publishing it on the node config topic', async () => {
    const created = await call('POST', '/rule-sets', { name: 'hot', ruleSet: hot });
    expect(created.status).toBe(201);
    const set = created.body as RuleSetView;
    expect(set).toMatchObject({ name: 'hot', revision: 1, devices: [], sensors: [] });
    const assigned = await call('PUT', `/rule-sets/${set.id}/assignments`, {
      devices: ['plain-1'],
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ devices: ['plain-1'] });
    const published = await waitFor(() => configs.get(topics.config('plain-1')));
    expect(JSON.parse(published).rules[0]).toMatchObject({ id: 'too_hot', value: 25 });
    const updated = await call('PUT', `/rule-sets/${set.id}`, {
      ruleSet: { ...hot, rules: [{ ...hot.rules[0], value: 24 }] },
    });
    expect(updated.body).toMatchObject({ revision: 2 });
    await waitFor(
      () => JSON.parse(configs.get(topics.config('plain-1')) ?? '{}').rules?.[0]?.value === 24,
    );
    const list = (await call('GET', '/rule-sets')).body as RuleSetView[];
    expect(list.map((s) => s.name)).toEqual(['hot']);
    expect((await call('GET', '/rule-sets/424242')).status).toBe(404);
  });

  it('evaluates raw readings of a device without an edge verdict on the server', async () => {
    await edge.readings([{ deviceId: 'plain-1', sensor: 'temperature', value: 26, ts: t0 }]);
    const [open] = await waitFor(async () => {
      const items = await alarms('plain-1');
      return items.length === 1 && items;
    });
    expect(open).toMatchObject({
      ruleId: 'too_hot',
      severity: 'critical',
      state: 'active',
      peakValue: 26,
    });
    await edge.readings([{ deviceId: 'plain-1', sensor: 'temperature', value: 20, ts: t0 + 1000 }]);
    const detail = await waitFor(async () => {
      const d = (await (
        await fetch(`${app.baseUrl}/alerts/${open.id}`, { headers: app.admin })
      ).json()) as AlarmDetail;
      return d.state === 'cleared' && d;
    });
    expect(detail.history.map((h) => [h.change, h.actor])).toEqual([
      ['raised', 'server'],
      ['cleared', 'server'],
    ]);
  });

  it('leaves devices with their own verdicts (edge nodes) to the edge', async () => {
    await edge.client.publishAsync(
      topics.status('edge-node-1'),
      encodePresence({ status: 'online', ts: t0 }),
      { qos: 1, retain: true },
    );
    // Both go through the same consumer in order: presence first, then the hot reading,
    // then a hot reading of a plain device that proves the readings were processed.
    await edge.readings([{ deviceId: 'edge-node-1', sensor: 'temperature', value: 45, ts: t0 }]);
    await edge.readings([{ deviceId: 'plain-2', sensor: 'temperature', value: 45, ts: t0 }]);
    await waitFor(async () => (await alarms('plain-2')).length === 1);
    expect(await alarms('edge-node-1')).toEqual([]);
  });

  it('runs hysteresis through the whole path: raise, no clear inside the band, clear, raise again gives two episodes', async () => {
    const hyst = {
      version: 1,
      name: 'hyst',
      rules: [
        {
          id: 'humid',
          sensor: 'humidity',
          severity: 'warning',
          kind: 'hysteresis',
          direction: 'above',
          raiseAt: 70,
          clearAt: 60,
        },
      ],
    };
    const created = (await call('POST', '/rule-sets', { name: 'hyst', ruleSet: hyst }))
      .body as RuleSetView;
    expect(
      (await call('PUT', `/rule-sets/${created.id}/assignments`, { devices: ['hyst-1'] })).status,
    ).toBe(200);
    const values = [71, 65, 75, 59, 72];
    for (let i = 0; i < values.length; i++) {
      await edge.readings([
        { deviceId: 'hyst-1', sensor: 'humidity', value: values[i], ts: t0 + i * 1000 },
      ]);
    }
    const page = await waitFor(async () => {
      const items = await alarms('hyst-1');
      return items.length === 2 && items;
    });
    expect(page.map((a) => a.state)).toEqual(['active', 'cleared']);
    const first = (await (
      await fetch(`${app.baseUrl}/alerts/${page[1].id}`, { headers: app.admin })
    ).json()) as AlarmDetail;
    expect(first.history.map((h) => [h.change, h.value])).toEqual([
      ['raised', 71],
      ['cleared', 59],
    ]);
    expect(first).toMatchObject({ count: 1, lastValue: 59 });
    const second = (await (
      await fetch(`${app.baseUrl}/alerts/${page[0].id}`, { headers: app.admin })
    ).json()) as AlarmDetail;
    expect(second.history.map((h) => [h.change, h.value])).toEqual([['raised', 72]]);
  });
});
