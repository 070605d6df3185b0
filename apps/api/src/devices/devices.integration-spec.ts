/** /devices CRUD, bulk creation, pagination, filters and presence from MQTT. */
import { topics } from '@iotmon/domain';
import { waitFor } from '@iotmon/testing';
import { connectAsync } from 'mqtt';
import { Client } from 'pg';
import { admin, startApi, type ApiHarness } from '../testing/api-harness';

describe('/devices', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ PRESENCE_STALE_SECONDS: '60' });
  });
  afterAll(() => h.close());

  const create = (payload: unknown, headers = admin) =>
    h.api.inject({ method: 'POST', url: '/devices', headers, payload: payload as object });

  it('creates one device with a key shown once and never stored in clear', async () => {
    const res = await create({
      id: 'dev-1',
      name: 'one',
      location: 'lab',
      sensors: ['temperature'],
      metadata: { fw: '1.0' },
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.device).toMatchObject({ id: 'dev-1', status: 'unknown', lastSeenAt: null });
    expect(body.apiKey).toMatch(/^iotk_/);
    const c = new Client({ connectionString: h.db.url });
    await c.connect();
    const stored = (await c.query('SELECT api_key_hash FROM devices WHERE id = $1', ['dev-1']))
      .rows;
    await c.end();
    expect(stored[0].api_key_hash).toHaveLength(64);
    expect(stored[0].api_key_hash).not.toContain(body.apiKey);
    const get = await h.api.inject({ headers: h.viewer, url: '/devices/dev-1' });
    expect(get.json()).not.toHaveProperty('apiKey');
  });

  it('creates a fleet all-or-nothing, and 409 names the duplicate', async () => {
    const fleet = Array.from({ length: 250 }, (_, i) => ({
      id: `fleet-${String(i).padStart(3, '0')}`,
      name: `fleet ${i}`,
      location: i % 2 ? 'north' : 'south',
      sensors: i % 3 ? ['humidity'] : ['temperature', 'humidity'],
    }));
    const res = await create(fleet);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toHaveLength(250);
    const dup = await create([
      { id: 'new-1', name: 'x' },
      { id: 'fleet-007', name: 'y' },
    ]);
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'CONFLICT', field: '[1].id' });
    expect((await h.api.inject({ headers: h.viewer, url: '/devices/new-1' })).statusCode).toBe(404);
  });

  it('lists with filters, sort, offset and cursor', async () => {
    const south = await h.api.inject({
      headers: h.viewer,
      url: '/devices?location=south&kind=temperature&limit=1000',
    });
    const items = south.json<{ items: { id: string; location: string; sensors: string[] }[] }>()
      .items;
    expect(items.length).toBe(42);
    expect(items.every((d) => d.location === 'south' && d.sensors.includes('temperature'))).toBe(
      true,
    );
    const ids: string[] = [];
    let url = '/devices?limit=100&sort=-id';
    for (let guard = 0; guard < 10; guard++) {
      const page = (await h.api.inject({ headers: h.viewer, url })).json<{
        items: { id: string }[];
        nextCursor?: string;
      }>();
      ids.push(...page.items.map((d) => d.id));
      if (!page.nextCursor) break;
      url = `/devices?limit=100&sort=-id&cursor=${page.nextCursor}`;
    }
    expect(ids).toHaveLength(251);
    expect(ids).toEqual([...ids].sort().reverse());
    const offset = await h.api.inject({
      headers: h.viewer,
      url: '/devices?sort=name&limit=5&offset=10',
    });
    expect(offset.json().items).toHaveLength(5);
  });

  it('patches and deletes, and a deleted device key stops working', async () => {
    const made = await create({ id: 'gone-1', name: 'temp' });
    const key = made.json<{ apiKey: string }>().apiKey;
    const patched = await h.api.inject({
      method: 'PATCH',
      url: '/devices/gone-1',
      headers: admin,
      payload: { location: 'attic', metadata: { a: 1 } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ location: 'attic', metadata: { a: 1 }, name: 'temp' });
    const devicePatch = await h.api.inject({
      method: 'PATCH',
      url: '/devices/gone-1',
      headers: { 'x-api-key': key },
      payload: { name: 'x' },
    });
    expect(devicePatch.statusCode).toBe(403);
    const del = await h.api.inject({ method: 'DELETE', url: '/devices/gone-1', headers: admin });
    expect(del.statusCode).toBe(204);
    const write = await h.api.inject({
      method: 'POST',
      url: '/readings',
      headers: { 'x-api-key': key },
      payload: [{ deviceId: 'gone-1', sensor: 'light', value: 1, ts: Date.now() }],
    });
    expect(write.statusCode).toBe(401);
    expect(
      (await h.api.inject({ method: 'DELETE', url: '/devices/gone-1', headers: admin })).statusCode,
    ).toBe(404);
  });

  it('derives status from the retained presence topic', async () => {
    const client = await connectAsync(h.broker.url, {
      clientId: 'presence-test',
      ...h.broker.login('edge-fleet'),
    });
    await client.publishAsync(
      topics.status('dev-1'),
      JSON.stringify({ status: 'online', ts: Date.now() }),
      { retain: true, qos: 1 },
    );
    await client.publishAsync(
      topics.status('edge-new'),
      JSON.stringify({ status: 'offline', ts: Date.now() }),
      { retain: true, qos: 1 },
    );
    await client.publishAsync(
      topics.status('old-1'),
      JSON.stringify({ status: 'online', ts: Date.now() - 3_600_000 }),
      { retain: true, qos: 1 },
    );
    await client.endAsync();
    const status = (id: string) =>
      waitFor(
        async () => {
          const res = await h.api.inject({ headers: h.viewer, url: `/devices/${id}` });
          return res.statusCode === 200 && res.json<{ status: string }>().status !== 'unknown'
            ? res.json<{ status: string; lastSeenAt: string }>()
            : undefined;
        },
        { what: `presence of ${id}` },
      );
    expect((await status('dev-1')).status).toBe('online');
    expect((await status('edge-new')).status).toBe('offline');
    expect((await status('old-1')).status).toBe('stale');
    const online = await h.api.inject({ headers: h.viewer, url: '/devices?status=online' });
    expect(online.json<{ items: { id: string }[] }>().items.map((d) => d.id)).toEqual(['dev-1']);
  });
});

describe('POST /devices/:id/key (rotation)', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(() => h.close());

  it('issues a new key: the old one stops working on REST and MQTT, its live session is closed within 5 s', async () => {
    const made = await h.api.inject({
      method: 'POST',
      url: '/devices',
      headers: admin,
      payload: { id: 'rot-1', name: 'rotating' },
    });
    const oldKey = made.json<{ apiKey: string }>().apiKey;
    const session = await connectAsync(h.broker.url, {
      username: 'rot-1',
      password: oldKey,
      reconnectPeriod: 0,
    });
    const closedAfter = new Promise<number>((resolve) => {
      const t0 = Date.now();
      session.once('close', () => resolve(Date.now() - t0));
    });
    const denied = await h.api.inject({
      method: 'POST',
      url: '/devices/rot-1/key',
      headers: { 'x-api-key': oldKey },
    });
    expect(denied.statusCode).toBe(403);
    const rotated = await h.api.inject({
      method: 'POST',
      url: '/devices/rot-1/key',
      headers: admin,
    });
    expect(rotated.statusCode).toBe(201);
    const { deviceId, apiKey } = rotated.json<{ deviceId: string; apiKey: string }>();
    expect(deviceId).toBe('rot-1');
    expect(apiKey).toMatch(/^iotk_/);
    expect(apiKey).not.toBe(oldKey);
    expect(await closedAfter).toBeLessThan(5_000);

    await expect(
      connectAsync(h.broker.url, { username: 'rot-1', password: oldKey, reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password/);
    const fresh = await connectAsync(h.broker.url, {
      username: 'rot-1',
      password: apiKey,
      reconnectPeriod: 0,
    });
    await fresh.endAsync();
    const write = (key: string) =>
      h.api.inject({
        method: 'POST',
        url: '/readings',
        headers: { 'x-api-key': key },
        payload: [{ deviceId: 'rot-1', sensor: 'light', value: 1, ts: Date.now() }],
      });
    expect((await write(oldKey)).statusCode).toBe(401);
    expect((await write(apiKey)).statusCode).toBe(201);
    const missing = await h.api.inject({
      method: 'POST',
      url: '/devices/nope-1/key',
      headers: admin,
    });
    expect(missing.statusCode).toBe(404);
  });
});
