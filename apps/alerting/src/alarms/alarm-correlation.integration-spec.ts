/**
 * One correlation id from an MQTT reading to its alarm and its webhook: the alerting app logs
 * structured JSON (the kit's pino logger, captured here), the reading of a device without an
 * edge verdict raises temperature_alert on the server, and the `alarm raised` line, the
 * `webhook delivered` line, the webhook body and its x-correlation-id header carry the same id.
 */
import { type RegistryBroker } from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { startAlertingInstance, type AlertingInstance } from '../test-support/alerting-instance';
import {
  startEdgePublisher,
  startTestBroker,
  type EdgePublisher,
} from '../test-support/edge-publisher';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver';

interface LogLine {
  level: string;
  app: string;
  replica: string;
  msg: string;
  context?: string;
  correlationId?: string;
  deviceId?: string;
  alarmId?: string;
  deliveryId?: string;
}

describe('correlation id: MQTT reading -> alarm -> webhook', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let app: AlertingInstance;
  let edge: EdgePublisher;
  let receiver: WebhookReceiver;
  const lines: string[] = [];
  const logs = () => lines.map((l) => JSON.parse(l) as LogLine);

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startTestBroker(db.url);
    app = await startAlertingInstance(
      { DATABASE_URL: db.url, ...broker.env('alerting'), NOTIFY_WINDOW_MS: '0' },
      { logLines: lines },
    );
    edge = await startEdgePublisher(broker);
    receiver = await startWebhookReceiver();
    const res = await fetch(`${app.baseUrl}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...app.admin },
      body: JSON.stringify({ url: receiver.url }),
    });
    expect(res.status).toBe(201);
  });

  afterAll(async () => {
    await edge?.close();
    await app?.close();
    await receiver?.close();
    await broker?.close();
    await db?.drop();
  });

  it('the alarm log line and its webhook log line carry the same correlation id', async () => {
    await edge.readings([
      { deviceId: 'corr-1', sensor: 'temperature', value: 36.5, ts: Date.now(), seq: 1 },
    ]);
    const delivered = await waitFor(
      () => logs().find((l) => l.msg === 'webhook delivered' && l.correlationId),
      { timeoutMs: 20_000, what: `a "webhook delivered" line (got ${lines.length} lines)` },
    );
    const raised = logs().find((l) => l.msg === 'alarm raised' && l.deviceId === 'corr-1');
    expect(raised).toEqual(
      expect.objectContaining({
        level: 'info',
        app: 'alerting',
        context: 'TransitionSink',
        correlationId: expect.stringMatching(/^[A-Za-z0-9._:-]{8,128}$/),
      }),
    );
    expect(delivered.correlationId).toBe(raised!.correlationId);
    expect(delivered).toEqual(
      expect.objectContaining({ app: 'alerting', replica: raised!.replica }),
    );
    // What the receiver got carries it too, in the body and as a header.
    const request = receiver.requests.find((r) => r.status === 200)!;
    expect(request.headers['x-correlation-id']).toBe(raised!.correlationId);
    expect(JSON.parse(request.body)).toEqual(
      expect.objectContaining({ correlationId: raised!.correlationId }),
    );
  });
});
