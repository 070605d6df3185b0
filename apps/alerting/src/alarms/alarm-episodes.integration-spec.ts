/**
 * Edge events through a real broker into two alerting replicas on one real PostgreSQL:
 * duplicates collapse, episodes follow raise / clear / raise, notifications are sent once.
 */
import type { ConstraintEvent } from '@iotmon/domain';
import { type RegistryBroker } from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { Client } from 'pg';
import { startAlertingInstance, type AlertingInstance } from '../test-support/alerting-instance';
import {
  startEdgePublisher,
  startTestBroker,
  type EdgePublisher,
} from '../test-support/edge-publisher';
import { counterValue } from '../test-support/metrics-reader';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver';
import type { AlarmDetail, AlarmPage } from './alarm-queries.service';

describe('alarm episodes with two replicas', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let a: AlertingInstance;
  let b: AlertingInstance;
  let edge: EdgePublisher;
  let receiver: WebhookReceiver;
  let pg: Client;
  const t0 = Date.UTC(2026, 10, 1, 12);

  const event = (over: Partial<ConstraintEvent>): ConstraintEvent => ({
    deviceId: 'dev-1',
    sensor: 'temperature',
    ruleId: 'temperature_alert',
    state: 'raised',
    severity: 'warning',
    value: 31,
    ts: t0,
    message: 'too warm',
    ...over,
  });
  /**
   * Both replicas together have handled `n` more messages than before (each receives every
   * message). In one test process they share prom-client's registry, so one scrape sums both.
   */
  const handled = () => counterValue(a.baseUrl, 'alerting_events_total');
  const waitHandled = (n: number) =>
    waitFor(async () => (await handled()) >= n, { what: `${n} handled events` });
  const get = async <T>(inst: AlertingInstance, path: string) =>
    (await fetch(`${inst.baseUrl}${path}`, { headers: inst.admin })).json() as Promise<T>;

  beforeAll(async () => {
    [db, receiver] = await Promise.all([createTestDatabase(), startWebhookReceiver()]);
    broker = await startTestBroker(db.url);
    const env = {
      DATABASE_URL: db.url,
      ...broker.env('alerting'),
      WEBHOOK_BACKOFF_MS: '20',
      NOTIFY_WINDOW_MS: '0',
    };
    [a, b] = await Promise.all([startAlertingInstance(env), startAlertingInstance(env)]);
    edge = await startEdgePublisher(broker);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    const res = await fetch(`${a.baseUrl}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...a.admin },
      body: JSON.stringify({ url: receiver.url, secret: 'a-secret-of-16-chars-or-more' }),
    });
    expect(res.status).toBe(201);
  });

  afterAll(async () => {
    await edge?.close();
    await Promise.all([a?.close(), b?.close()]);
    await pg?.end();
    await receiver?.close();
    await broker?.close();
    await db?.drop();
  });

  it('turns two identical events 1 ms apart, seen by both replicas, into one episode and one notification', async () => {
    const before = await handled();
    const e = event({ deviceId: 'dup-1' });
    await edge.event(e);
    await new Promise((r) => setTimeout(r, 1));
    await edge.event(e);
    await waitHandled(before + 4);
    const page = await get<AlarmPage>(a, '/alerts?deviceId=dup-1');
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ state: 'active', count: 1, peakValue: 31 });
    const stored = await pg.query(
      `SELECT count(*)::int AS n FROM constraint_events WHERE device_id = 'dup-1'`,
    );
    expect(stored.rows[0].n).toBe(1);
    const deliveries = await waitFor(async () => {
      const r = await pg.query(
        `SELECT status FROM webhook_deliveries d JOIN alarms a ON a.id = d.alarm_id WHERE a.device_id = 'dup-1'`,
      );
      return r.rows.every((x) => x.status === 'delivered') && r.rows;
    });
    expect(deliveries).toHaveLength(1);
    const got = receiver.requests.filter(
      (r) => JSON.parse(r.body).event.alarm.deviceId === 'dup-1',
    );
    expect(got).toHaveLength(1);
  });

  it('keeps one open episode when both replicas get the same raise at the same time, counting a distinct repeat', async () => {
    const before = await handled();
    await edge.event(event({ deviceId: 'dup-2', value: 33 }));
    await edge.event(event({ deviceId: 'dup-2', ts: t0 + 1000, value: 35, severity: 'critical' }));
    await waitHandled(before + 4);
    const [alarm] = (await get<AlarmPage>(b, '/alerts?deviceId=dup-2')).items;
    expect(alarm).toMatchObject({ count: 2, peakValue: 35, minValue: 33, severity: 'critical' });
    const detail = await get<AlarmDetail>(b, `/alerts/${alarm.id}`);
    expect(detail.history.map((h) => h.change)).toEqual(['raised', 'escalated']);
  });

  it('opens a second episode on raise after clear, each with its own history', async () => {
    const before = await handled();
    await edge.event(event({ deviceId: 'flap', ts: t0, value: 31 }));
    await edge.event(event({ deviceId: 'flap', state: 'cleared', ts: t0 + 1000, value: 27 }));
    await edge.event(event({ deviceId: 'flap', ts: t0 + 2000, value: 32 }));
    await waitHandled(before + 6);
    const page = await get<AlarmPage>(a, '/alerts?deviceId=flap');
    expect(page.items.map((x) => x.state)).toEqual(['active', 'cleared']);
    const [second, first] = page.items;
    const h1 = await get<AlarmDetail>(a, `/alerts/${first.id}`);
    expect(h1.history.map((h) => [h.change, h.from, h.to])).toEqual([
      ['raised', null, 'active'],
      ['cleared', 'active', 'cleared'],
    ]);
    expect(h1).toMatchObject({ clearedBy: 'edge', lastValue: 27, peakValue: 31 });
    const h2 = await get<AlarmDetail>(a, `/alerts/${second.id}`);
    expect(h2.history.map((h) => h.change)).toEqual(['raised']);
    expect(h2.firstAt).toBe(new Date(t0 + 2000).toISOString());
    const open = await get<AlarmPage>(a, '/alerts?deviceId=flap&state=active,acknowledged');
    expect(open.items.map((x) => x.id)).toEqual([second.id]);
  });

  it('opens one episode for a late raise while its condition is still active, and its late clear closes it', async () => {
    const before = await handled();
    await edge.event(event({ deviceId: 'late-1', late: true }));
    await waitHandled(before + 2);
    // The same raise again (a re-send) is the same transition: still one episode.
    await edge.event(event({ deviceId: 'late-1', late: true }));
    await waitHandled(before + 4);
    const open = (await get<AlarmPage>(a, '/alerts?deviceId=late-1')).items;
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ state: 'active', firstAt: new Date(t0).toISOString() });
    await edge.event(event({ deviceId: 'late-1', late: true, state: 'cleared', ts: t0 + 500 }));
    await waitHandled(before + 6);
    const after = (await get<AlarmPage>(a, '/alerts?deviceId=late-1')).items;
    expect(after.map((x) => [x.id, x.state])).toEqual([[open[0].id, 'cleared']]);
  });

  it('records a raise that arrives after its own clear (a re-send) as a closed episode, without notifying', async () => {
    const before = await handled();
    await edge.event(event({ deviceId: 'late-2', state: 'cleared', ts: t0 + 1_000, value: 25 }));
    await waitHandled(before + 2);
    await edge.event(event({ deviceId: 'late-2', late: true }));
    await waitHandled(before + 4);
    const items = (await get<AlarmPage>(a, '/alerts?deviceId=late-2')).items;
    expect(items.map((x) => [x.state, x.firstAt, x.lastValue])).toEqual([
      ['cleared', new Date(t0).toISOString(), 25],
    ]);
    const sent = await pg.query(
      `SELECT count(*)::int AS n FROM webhook_deliveries d JOIN alarms a ON a.id = d.alarm_id
        WHERE a.device_id = 'late-2'`,
    );
    expect(sent.rows[0].n).toBe(0);
    // The next raise is a new episode.
    await edge.event(event({ deviceId: 'late-2', ts: t0 + 2_000 }));
    await waitHandled(before + 6);
    const after = (await get<AlarmPage>(a, '/alerts?deviceId=late-2')).items;
    expect(after.map((x) => x.state)).toEqual(['active', 'cleared']);
  });

  it("ends the episode on an operator's clear while the condition holds; the next raise after the device clears opens a new one", async () => {
    const before = await handled();
    const raise = event({ deviceId: 'op-1' });
    await edge.event(raise);
    await waitHandled(before + 2);
    const [open] = (await get<AlarmPage>(a, '/alerts?deviceId=op-1')).items;
    const res = await fetch(`${a.baseUrl}/alerts/${open.id}/clear`, {
      method: 'POST',
      // The actor is who is signed in, never a field of the body.
      headers: { 'content-type': 'application/json', ...(await a.signIn('olga', 'operator')) },
      body: JSON.stringify({ note: 'handled on site' }),
    });
    expect(res.status).toBe(200);
    // The raise sent again (a re-send after a lost ack) is the same transition: no reopening.
    await edge.event(raise);
    await waitHandled(before + 4);
    // The device's own clear of that condition closes nothing more and opens nothing.
    await edge.event(event({ deviceId: 'op-1', state: 'cleared', ts: t0 + 1_000 }));
    await waitHandled(before + 6);
    let items = (await get<AlarmPage>(a, '/alerts?deviceId=op-1')).items;
    expect(items.map((x) => [x.id, x.state, x.clearedBy])).toEqual([[open.id, 'cleared', 'olga']]);
    // A new occurrence of the condition is a new episode.
    await edge.event(event({ deviceId: 'op-1', ts: t0 + 2_000 }));
    await waitHandled(before + 8);
    items = (await get<AlarmPage>(a, '/alerts?deviceId=op-1')).items;
    expect(items.map((x) => [x.state, x.id === open.id]).sort()).toEqual([
      ['active', false],
      ['cleared', true],
    ]);
  });

  it('refuses a second open episode at the database, whatever the code does', async () => {
    const insert = `INSERT INTO alarms (device_id, sensor, rule_id, state, severity, first_at, last_at,
                      peak_value, min_value, last_value)
                    VALUES ('idx', 'light', 'r', $1, 'info', now(), now(), 1, 1, 1)`;
    await pg.query(insert, ['active']);
    await pg.query(insert, ['cleared']);
    await expect(pg.query(insert, ['acknowledged'])).rejects.toThrow(/alarms_one_open_episode/);
  });

  it('pages with a keyset cursor and names a bad filter', async () => {
    const first = await get<AlarmPage>(a, '/alerts?limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1].id);
    const next = await get<AlarmPage>(a, `/alerts?limit=2&before=${first.nextCursor}`);
    expect(Number(next.items[0].id)).toBeLessThan(Number(first.items[1].id));
    const bad = await fetch(`${a.baseUrl}/alerts?severity=loud`, { headers: a.admin });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toMatch(/severity/);
    const missing = await fetch(`${a.baseUrl}/alerts/999999`, { headers: a.admin });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
