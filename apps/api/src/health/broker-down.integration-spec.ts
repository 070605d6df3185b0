/**
 * What REST does while only the broker is down: the api stays ready (readiness is PostgreSQL
 * only) and keeps storing readings; GET /health names the broker as down; liveness stays up.
 */
import { startRegistryBroker } from '@iotmon/messaging';
import { waitFor } from '@iotmon/testing';
import { admin, startApi, type ApiHarness } from '../testing/api-harness';

describe('REST while only the broker is down', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stays ready and stores readings; /health reports the broker down until it is back', async () => {
    const port = h.broker.port;
    await h.broker.close();
    await waitFor(async () => (await h.api.inject({ url: '/health' })).statusCode === 503, {
      what: '/health to see the broker gone',
    });
    const health = (await h.api.inject({ url: '/health' })).json();
    expect(health.error).toHaveProperty('mqtt');
    expect((await h.api.inject({ url: '/health/ready' })).statusCode).toBe(200);
    expect((await h.api.inject({ url: '/health/live' })).statusCode).toBe(200);

    const ts = Date.now();
    const post = await h.api.inject({
      method: 'POST',
      url: '/readings',
      headers: admin,
      payload: [{ deviceId: 'rest-1', sensor: 'temperature', value: 21.5, ts }],
    });
    expect(post.statusCode).toBe(201);
    const got = await h.api.inject({ url: '/readings?deviceId=rest-1', headers: admin });
    expect(got.json()).toEqual(
      expect.arrayContaining([expect.objectContaining({ deviceId: 'rest-1', value: 21.5 })]),
    );

    h.broker = await startRegistryBroker({ databaseUrl: h.db.url, services: h.services, port });
    await waitFor(async () => (await h.api.inject({ url: '/health' })).statusCode === 200, {
      timeoutMs: 15_000,
      what: '/health to see the broker back',
    });
  });
});
