/**
 * Webhook targets (SSRF): private, loopback, link-local and metadata addresses are refused,
 * as literals and behind DNS names (a real DNS server on 127.0.0.1 answers for the test
 * names); an allowed name is called at the address the policy resolved; a name that
 * resolves to a public address when subscribed and to a private one later is never called.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConstraintEvent } from '@iotmon/domain';
import type { RegistryBroker } from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { startAlertingInstance, type AlertingInstance } from '../test-support/alerting-instance';
import { startDnsStandIn, type DnsStandIn } from '../test-support/dns-stand-in';
import {
  startEdgePublisher,
  startTestBroker,
  type EdgePublisher,
} from '../test-support/edge-publisher';
import { startWebhookReceiver, type WebhookReceiver } from '../test-support/webhook-receiver';
import type { DeliveryView, WebhookView } from './webhooks.service';

describe('webhook targets', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let dns: DnsStandIn;
  let app: AlertingInstance;
  let edge: EdgePublisher;
  let receiver: WebhookReceiver;
  let inner: Server;
  let innerHits = 0;

  const event = (deviceId: string): ConstraintEvent => ({
    deviceId,
    sensor: 'temperature',
    ruleId: 'temperature_alert',
    state: 'raised',
    severity: 'critical',
    value: 40,
    ts: Date.now(),
    message: 'hot',
  });
  const subscribe = (url: string, deviceIds: string[] = ['nobody']) =>
    fetch(`${app.baseUrl}/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...app.admin },
      body: JSON.stringify({ url, deviceIds }),
    });
  const deliveries = async (id: string) =>
    (await (
      await fetch(`${app.baseUrl}/webhooks/${id}/deliveries`, { headers: app.admin })
    ).json()) as DeliveryView[];

  beforeAll(async () => {
    db = await createTestDatabase();
    [broker, dns, receiver] = await Promise.all([
      startTestBroker(db.url),
      startDnsStandIn({
        'internal.test': ['10.1.2.3'],
        'metadata.test': ['169.254.169.254'],
        'six.test': ['fd00::1'],
        'mixed.test': ['93.184.215.14', '192.168.1.10'],
        'hooks.test': ['127.0.0.1'],
        'rebind.test': ['93.184.215.14'],
      }),
      startWebhookReceiver(),
    ]);
    // A service on another loopback address: what a rebinding attacker would reach.
    inner = createServer((_req, res) => {
      innerHits++;
      res.end('inner');
    });
    await new Promise<void>((resolve) => inner.listen(0, '127.0.0.2', resolve));
    app = await startAlertingInstance({
      DATABASE_URL: db.url,
      ...broker.env('alerting'),
      WEBHOOK_DNS_SERVERS: dns.server,
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
      WEBHOOK_BACKOFF_MS: '20',
      WEBHOOK_MAX_ATTEMPTS: '2',
      WEBHOOK_POLL_MS: '20',
    });
    edge = await startEdgePublisher(broker, `edge-ssrf-${process.pid}`);
  });

  afterAll(async () => {
    await edge?.close();
    await app?.close();
    await new Promise((r) => inner?.close(r));
    await receiver?.close();
    await dns?.close();
    await broker?.close();
    await db?.drop();
  });

  it.each([
    ['a private address', 'http://10.0.0.5/hook', '10.0.0.5'],
    ['the metadata service', 'http://169.254.169.254/latest/meta-data', '169.254.169.254'],
    ['loopback outside the allowed network', 'http://127.0.0.2:9/', '127.0.0.2'],
    ['IPv6 loopback', 'http://[::1]:8080/', '::1'],
    ['IPv6 link-local', 'http://[fe80::1]/', 'fe80::1'],
    ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.2]/', '::ffff:7f00:2'],
    ['"this network"', 'http://0.0.0.0:9/', '0.0.0.0'],
    ['a name resolving to a private address', 'http://internal.test/', '10.1.2.3'],
    ['a name resolving to the metadata service', 'http://metadata.test/x', '169.254.169.254'],
    ['a name resolving to a unique-local IPv6', 'http://six.test/', 'fd00::1'],
    ['a name with one private address among public ones', 'http://mixed.test/', '192.168.1.10'],
  ])('refuses %s (%s) with a 400 naming url', async (_what, url, address) => {
    const res = await subscribe(url);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; message: string; field: string };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.field).toBe('url');
    expect(body.message).toMatch(/^url /);
    expect(body.message).toContain(address);
  });

  it('refuses names that do not resolve and URLs with credentials', async () => {
    expect((await subscribe('http://nowhere.test/')).status).toBe(400);
    const creds = await subscribe('http://user:pw@hooks.test/');
    expect(creds.status).toBe(400);
    expect(((await creds.json()) as { message: string }).message).toMatch(/credentials/);
  });

  it('calls an allowed name at the address the policy resolved', async () => {
    const port = new URL(receiver.url).port;
    const res = await subscribe(`http://hooks.test:${port}/hook`, ['ssrf-ok']);
    expect(res.status).toBe(201);
    // hooks.test exists only in the stand-in: a delivery proves the socket used its answer.
    await edge.event(event('ssrf-ok'));
    await waitFor(() => receiver.requests.length === 1, { timeoutMs: 10_000 });
    expect(receiver.requests[0].headers.host).toBe(`hooks.test:${port}`);
  });

  it('never connects when the name rebinds to a private address after subscribing', async () => {
    const port = (inner.address() as AddressInfo).port;
    const res = await subscribe(`http://rebind.test:${port}/hook`, ['ssrf-rebind']);
    expect(res.status).toBe(201);
    const sub = (await res.json()) as WebhookView;
    dns.records.set('rebind.test', ['127.0.0.2']);
    await edge.event(event('ssrf-rebind'));
    const dead = await waitFor(
      async () => {
        const ds = await deliveries(sub.id);
        return ds.length === 1 && ds[0].status === 'dead' ? ds[0] : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(dead.log).toHaveLength(2);
    for (const a of dead.log) {
      expect(a.statusCode).toBeNull();
      expect(a.error).toContain('127.0.0.2');
    }
    expect(innerHits).toBe(0);
    expect(dns.queries).toContain('rebind.test/A');
  });
});
