/**
 * What REST does while only the broker is down: the api stays ready (readiness is PostgreSQL
 * only) and keeps storing readings; liveness stays up; when the broker is back the api
 * consumes again.
 */
import { startRegistryBroker } from '@iotmon/messaging';
import { admin, startApi, type ApiHarness } from '../testing/api-harness';

describe('REST while only the broker is down', () => {
  let h: ApiHarness;

  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('stays ready and stores readings', async () => {
    const port = h.broker.port;
    await h.broker.close();
    // Let the MQTT client notice (keepalive aside, the socket closes at once).
    await new Promise((r) => setTimeout(r, 500));
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
    expect((await h.api.inject({ url: '/health/ready' })).statusCode).toBe(200);
  });
});
