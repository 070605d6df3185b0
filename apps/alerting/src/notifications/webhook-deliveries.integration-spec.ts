/**
 * Webhook delivery against real local receivers: retries with backoff until success (exactly
 * one successful receipt, signature verified), dead letters, rate limit and quiet hours.
 */
import type { ConstraintEvent } from '@iotmon/domain';
import type { AlarmPage } from '../alarms/alarm-queries.service';
import { type RegistryBroker } from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { startAlertingInstance, type AlertingInstance } from '../test-support/alerting-instance';
import {
  startEdgePublisher,
  startTestBroker,
  type EdgePublisher,
} from '../test-support/edge-publisher';
import { counterValue } from '../test-support/metrics-reader';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver';
import type { WebhookBody } from './notification-outbox';
import { SIGNATURE_HEADER, verifySignature } from './webhook-signing';
import type { DeliveryView, WebhookView } from './webhooks.service';

describe('webhook deliveries', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let app: AlertingInstance;
  let edge: EdgePublisher;
  const receivers: WebhookReceiver[] = [];
  const t0 = Date.UTC(2026, 10, 2, 12);
  const secret = 'test-secret-0123456789';

  const event = (over: Partial<ConstraintEvent>): ConstraintEvent => ({
    deviceId: 'wh-1',
    sensor: 'humidity',
    ruleId: 'humidity_high',
    state: 'raised',
    severity: 'warning',
    value: 91,
    ts: t0,
    message: 'humid',
    ...over,
  });
  const subscribe = async (body: Record<string, unknown>): Promise<WebhookView> => {
    const res = await fetch(`${app.baseUrl}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...app.admin },
      body: JSON.stringify({ secret, ...body }),
    });
    expect(res.status).toBe(201);
    return res.json() as Promise<WebhookView>;
  };
  const deliveries = async (id: string) =>
    (
      await fetch(`${app.baseUrl}/webhooks/${id}/deliveries`, { headers: app.admin })
    ).json() as Promise<DeliveryView[]>;
  const receiver = async (respond?: (n: number) => number) => {
    const r = await startWebhookReceiver(respond);
    receivers.push(r);
    return r;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startTestBroker(db.url);
    app = await startAlertingInstance({
      DATABASE_URL: db.url,
      ...broker.env('alerting'),
      WEBHOOK_BACKOFF_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: '4',
      WEBHOOK_POLL_MS: '20',
      NOTIFY_WINDOW_MS: '3600000',
    });
    edge = await startEdgePublisher(broker);
  });

  afterAll(async () => {
    await edge?.close();
    await app?.close();
    await Promise.all(receivers.map((r) => r.close()));
    await broker?.close();
    await db?.drop();
  });

  it('retries a receiver that fails twice, then delivers exactly once more, signed', async () => {
    const flaky = await receiver((n) => (n <= 2 ? 500 : 200));
    const sub = await subscribe({ url: flaky.url, deviceIds: ['wh-1'] });
    await edge.event(event({}));
    const [d] = await waitFor(async () => {
      const ds = await deliveries(sub.id);
      return ds.length === 1 && ds[0].status === 'delivered' && ds;
    });
    expect(d.attempts).toBe(3);
    expect(d.log.map((l) => l.statusCode)).toEqual([500, 500, 200]);
    expect(flaky.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    const ok = flaky.requests[2];
    expect(verifySignature(secret, ok.body, ok.headers[SIGNATURE_HEADER] as string)).toBe(true);
    expect(
      verifySignature('another-secret-123456', ok.body, ok.headers[SIGNATURE_HEADER] as string),
    ).toBe(false);
    const body = JSON.parse(ok.body) as WebhookBody;
    expect(body.event).toMatchObject({
      change: 'raised',
      alarm: { deviceId: 'wh-1', state: 'active' },
    });
    // The same delivery id on every attempt lets a receiver drop repeats.
    expect(new Set(flaky.requests.map((r) => r.headers['x-iotmon-delivery'])).size).toBe(1);
  });

  it('dead-letters a delivery to a receiver that always fails', async () => {
    const broken = await receiver(() => 503);
    const sub = await subscribe({ url: broken.url, deviceIds: ['wh-2'] });
    await edge.event(event({ deviceId: 'wh-2' }));
    const [d] = await waitFor(async () => {
      const ds = await deliveries(sub.id);
      return ds.length === 1 && ds[0].status === 'dead' && ds;
    });
    expect(d.attempts).toBe(4);
    expect(d.lastError).toBe('HTTP 503');
    expect(broken.requests).toHaveLength(4);
    const dead = await (
      await fetch(`${app.baseUrl}/webhooks/${sub.id}/deliveries?status=dead`, {
        headers: app.admin,
      })
    ).json();
    expect(dead).toHaveLength(1);
    expect(await counterValue(app.baseUrl, 'alerting_notification_dead_letters_total')).toBe(1);
  });

  it('does not repeat a notification within the window unless the severity rises', async () => {
    const r = await receiver();
    const sub = await subscribe({
      url: r.url,
      deviceIds: ['wh-3'],
      changes: ['raised', 'escalated'],
    });
    await edge.event(event({ deviceId: 'wh-3', ts: t0 }));
    await edge.event(event({ deviceId: 'wh-3', ts: t0 + 1, state: 'cleared' }));
    await edge.event(event({ deviceId: 'wh-3', ts: t0 + 2 }));
    await edge.event(event({ deviceId: 'wh-3', ts: t0 + 3, severity: 'critical' }));
    const ds = await waitFor(async () => {
      const all = await deliveries(sub.id);
      return all.length === 2 && all.every((d) => d.status === 'delivered') && all;
    });
    expect(ds.map((d) => d.change).reverse()).toEqual(['raised', 'escalated']);
    // All four transitions were applied: two episodes, the second escalated.
    const page = (await (
      await fetch(`${app.baseUrl}/alerts?deviceId=wh-3`, { headers: app.admin })
    ).json()) as AlarmPage;
    expect(page.items.map((a) => a.severity)).toEqual(['critical', 'warning']);
  });

  it('holds non-critical notifications during quiet hours and sends critical ones', async () => {
    const r = await receiver();
    const now = new Date();
    const minute = now.getUTCHours() * 60 + now.getUTCMinutes();
    const clock = (m: number) =>
      `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    const sub = await subscribe({
      url: r.url,
      deviceIds: ['wh-4', 'wh-5'],
      quietHours: {
        from: clock((minute + 1440 - 60) % 1440),
        to: clock((minute + 120) % 1440),
        tz: 'UTC',
      },
    });
    await edge.event(event({ deviceId: 'wh-4' }));
    await edge.event(event({ deviceId: 'wh-5', severity: 'critical' }));
    const ds = await waitFor(async () => {
      const all = await deliveries(sub.id);
      return all.length === 2 && all.some((d) => d.status === 'delivered') && all;
    });
    const held = ds.find((d) => d.status === 'pending')!;
    expect(held).toBeDefined();
    expect(new Date(held.nextAttemptAt).getTime()).toBeGreaterThan(now.getTime() + 60 * 60_000);
    expect(r.requests).toHaveLength(1);
    expect((JSON.parse(r.requests[0].body) as WebhookBody).event.alarm.deviceId).toBe('wh-5');
  });

  it('rejects a bad subscription naming the field', async () => {
    const res = await fetch(`${app.baseUrl}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...app.admin },
      body: JSON.stringify({ url: 'not a url', severities: ['loud'] }),
    });
    expect(res.status).toBe(400);
    const text = JSON.stringify(await res.json());
    expect(text).toMatch(/url/);
    expect(text).toMatch(/severities/);
  });
});
