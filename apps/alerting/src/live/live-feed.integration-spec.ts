/**
 * The live channel over real SSE: REST ack / shelve / clear on one replica reach a client of
 * the other replica; readings from the broker are pushed; Last-Event-ID replays what a
 * reconnecting client missed.
 */
import type { ConstraintEvent } from '@iotmon/domain';
import type { Role } from '@iotmon/server-kit';
import { type RegistryBroker } from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import type { AlarmDetail, AlarmPage } from '../alarms/alarm-queries.service';
import type { AlarmChangeEvent } from '../alarms/alarm-view';
import { startAlertingInstance, type AlertingInstance } from '../test-support/alerting-instance';
import {
  startEdgePublisher,
  startTestBroker,
  type EdgePublisher,
} from '../test-support/edge-publisher';
import { connectSse, type SseClient } from '../test-support/sse-client';

describe('live feed and REST actions', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let a: AlertingInstance;
  let b: AlertingInstance;
  let edge: EdgePublisher;
  const clients: SseClient[] = [];
  const t0 = Date.UTC(2026, 10, 3, 12);

  const raise = (deviceId: string): ConstraintEvent => ({
    deviceId,
    sensor: 'air_quality',
    ruleId: 'aq_bad',
    state: 'raised',
    severity: 'warning',
    value: 180,
    ts: t0,
    message: 'bad air',
  });
  const live = async (inst: AlertingInstance, query = '', headers: Record<string, string> = {}) => {
    const c = connectSse(`${inst.baseUrl}/live${query}`, { ...inst.admin, ...headers });
    clients.push(c);
    expect(await c.ready).toBe(200);
    return c;
  };
  const alarmEvents = (c: SseClient) =>
    c.events.filter((e) => e.event === 'alarm').map((e) => JSON.parse(e.data) as AlarmChangeEvent);
  /** Acts as a signed-in user (operator unless said otherwise): the actor is who signed in. */
  const post = async (path: string, body: unknown, as = 'x', role: Role = 'operator') =>
    fetch(`${a.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await a.signIn(as, role)) },
      body: JSON.stringify(body),
    });
  const openAlarm = async (deviceId: string) => {
    await edge.event(raise(deviceId));
    return waitFor(async () => {
      const page = (await (
        await fetch(`${a.baseUrl}/alerts?deviceId=${deviceId}`, { headers: a.admin })
      ).json()) as AlarmPage;
      return page.items[0];
    });
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startTestBroker(db.url);
    const env = { DATABASE_URL: db.url, ...broker.env('alerting') };
    [a, b] = await Promise.all([startAlertingInstance(env), startAlertingInstance(env)]);
    edge = await startEdgePublisher(broker);
  });

  afterAll(async () => {
    clients.forEach((c) => c.close());
    await edge?.close();
    await Promise.all([a?.close(), b?.close()]);
    await broker?.close();
    await db?.drop();
  });

  it('pushes ack, shelve and clear made through REST on one replica to a client of the other', async () => {
    const client = await live(b, '?readings=false&deviceId=live-1');
    const alarm = await openAlarm('live-1');
    const ack = await post(`/alerts/${alarm.id}/ack`, { note: 'looking' }, 'alice');
    expect(ack.status).toBe(200);
    expect(await ack.json()).toMatchObject({ change: 'acknowledged', to: 'acknowledged' });
    const until = new Date(Date.now() + 3_600_000).toISOString();
    expect((await post(`/alerts/${alarm.id}/shelve`, { until }, 'alice')).status).toBe(200);
    expect((await post(`/alerts/${alarm.id}/clear`, {}, 'bob')).status).toBe(200);
    const seen = await waitFor(() => {
      const es = alarmEvents(client);
      return es.length === 4 && es;
    });
    expect(seen.map((e) => [e.change, e.to, e.actor])).toEqual([
      ['raised', 'active', 'edge'],
      ['acknowledged', 'acknowledged', 'alice'],
      ['shelved', 'shelved', 'alice'],
      ['cleared', 'cleared', 'bob'],
    ]);
    expect(seen[3].alarm).toMatchObject({
      state: 'cleared',
      acknowledgedBy: 'alice',
      clearedBy: 'bob',
    });
    // SSE ids are the history ids, increasing.
    const ids = client.events.filter((e) => e.event === 'alarm').map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    const detail = (await (
      await fetch(`${a.baseUrl}/alerts/${alarm.id}`, { headers: a.admin })
    ).json()) as AlarmDetail;
    expect(detail.history.map((h) => h.change)).toEqual([
      'raised',
      'acknowledged',
      'shelved',
      'cleared',
    ]);
  });

  it('pushes each change of the edge path once to clients of both replicas', async () => {
    // The replica that applies a batch pushes its changes from the statement's result and
    // drops the same changes when its own NOTIFY comes back (or the other way round).
    const onA = await live(a, '?readings=false&deviceId=live-once');
    const onB = await live(b, '?readings=false&deviceId=live-once');
    const alarm = await openAlarm('live-once');
    expect((await post(`/alerts/${alarm.id}/ack`, {}, 'alice')).status).toBe(200);
    await edge.event({ ...raise('live-once'), state: 'cleared', value: 20, ts: t0 + 1_000 });
    for (const c of [onA, onB]) {
      const seen = await waitFor(() => {
        const es = alarmEvents(c);
        return es.some((e) => e.change === 'cleared') && es;
      });
      expect(seen.map((e) => e.change)).toEqual(['raised', 'acknowledged', 'cleared']);
    }
  });

  it('answers state conflicts with 409 and bad bodies with 400 naming the field', async () => {
    const alarm = await openAlarm('live-2');
    const viewer = await post(`/alerts/${alarm.id}/ack`, {}, 'vera', 'viewer');
    expect(viewer.status).toBe(403);
    const badNote = await post(`/alerts/${alarm.id}/ack`, { note: 7 });
    expect(badNote.status).toBe(400);
    expect(JSON.stringify(await badNote.json())).toMatch(/note/);
    // The actor is never taken from the body.
    const by = await post(`/alerts/${alarm.id}/ack`, { by: 'mallory' });
    expect(by.status).toBe(400);
    expect(JSON.stringify(await by.json())).toMatch(/by/);
    const extra = await post(`/alerts/${alarm.id}/ack`, { admin: true });
    expect(extra.status).toBe(400);
    expect(JSON.stringify(await extra.json())).toMatch(/admin/);
    const past = await post(`/alerts/${alarm.id}/shelve`, {
      until: '2001-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(JSON.stringify(await past.json())).toMatch(/until/);
    const badId = await post(`/alerts/abc/ack`, {}, 'x');
    expect(badId.status).toBe(400);
    expect(JSON.stringify(await badId.json())).toMatch(/id/);
    expect((await post(`/alerts/${alarm.id}/clear`, {}, 'x')).status).toBe(200);
    const again = await post(`/alerts/${alarm.id}/ack`, {}, 'x');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'CONFLICT' });
  });

  it('returns a shelved alarm to its state when the shelf expires', async () => {
    const alarm = await openAlarm('live-3');
    const client = await live(a, '?readings=false&deviceId=live-3');
    expect(
      (
        await post(`/alerts/${alarm.id}/shelve`, {
          until: new Date(Date.now() + 50).toISOString(),
        })
      ).status,
    ).toBe(200);
    const seen = await waitFor(() => {
      const es = alarmEvents(client);
      return es.length === 2 && es;
    });
    expect(seen.map((e) => [e.change, e.to])).toEqual([
      ['shelved', 'shelved'],
      ['unshelved', 'active'],
    ]);
  });

  it('pushes readings and replays missed alarm changes after Last-Event-ID', async () => {
    const first = await live(a, '?deviceId=live-4');
    const alarm = await openAlarm('live-4');
    const [raised] = await waitFor(() => alarmEvents(first).length === 1 && alarmEvents(first));
    first.close();
    expect((await post(`/alerts/${alarm.id}/ack`, {}, 'carol')).status).toBe(200);
    const again = await live(b, '?deviceId=live-4', { 'last-event-id': raised.id });
    await edge.readings([
      { deviceId: 'live-4', sensor: 'air_quality', value: 42, ts: t0 + 5, seq: 7 },
    ]);
    const reading = await waitFor(() => again.events.find((e) => e.event === 'reading'));
    expect(JSON.parse(reading.data)).toEqual({
      deviceId: 'live-4',
      sensor: 'air_quality',
      value: 42,
      ts: t0 + 5,
      seq: 7,
    });
    expect(reading.id).toBeUndefined();
    const replayed = await waitFor(() => alarmEvents(again).length === 1 && alarmEvents(again));
    expect(replayed[0]).toMatchObject({ change: 'acknowledged', actor: 'carol' });
  });
});
