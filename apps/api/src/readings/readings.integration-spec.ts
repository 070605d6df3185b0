/** POST/GET /readings and /readings/aggregate against real PostgreSQL. */
import { ADMIN_KEY, admin, startApi, type ApiHarness } from '../testing/api-harness';

describe('/readings', () => {
  let h: ApiHarness;
  const t0 = Date.now() - 3_600_000;
  const batch = (device: string, n: number, from = t0) =>
    Array.from({ length: n }, (_, i) => ({
      deviceId: device,
      sensor: 'temperature',
      value: 20 + (i % 10),
      ts: from + i * 1000,
      seq: i,
    }));
  beforeAll(async () => {
    h = await startApi({ INGEST_MQTT: 'false' });
  });
  afterAll(() => h.close());

  const post = (body: unknown, headers: Record<string, string> = admin, url = '/readings') =>
    h.api.inject({ method: 'POST', url, headers, payload: body as object });
  const rows = async (device: string) => {
    const res = await h.api.inject({
      headers: h.viewer,
      url: `/readings?deviceId=${device}&limit=1000`,
    });
    return res.json<unknown[]>().length;
  };

  it('stores a batch once even when re-sent, and answers after commit', async () => {
    const b = batch('r-1', 500);
    const first = await post(b);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ accepted: 500, rejected: 0 });
    expect(await rows('r-1')).toBe(500);
    const again = await post(b);
    expect(again.statusCode).toBe(201);
    expect(await rows('r-1')).toBe(500);
  });

  it('stores just the new reading of a partly re-sent batch, field for field', async () => {
    const b = batch('r-resend', 100);
    expect((await post(b)).statusCode).toBe(201);
    // COPY collides with the stored rows; the INSERT fallback stores the one new reading.
    const extra = {
      deviceId: 'r-resend',
      sensor: 'humidity',
      value: 12.625,
      ts: t0 + 500,
      seq: 7,
    };
    const resend = await post([...b.slice(0, 50), extra]);
    expect(resend.json()).toEqual({ accepted: 51, rejected: 0 });
    expect(await rows('r-resend')).toBe(101);
    const res = await h.api.inject({
      headers: h.viewer,
      method: 'GET',
      url: '/readings?deviceId=r-resend&sensor=humidity',
    });
    expect(res.json()).toEqual([expect.objectContaining(extra)]);
  });

  it('coalesces concurrent requests without losing or duplicating rows', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, k) => post(batch('r-conc', 50, t0 + k * 50_000))),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect(await rows('r-conc')).toBe(1000);
  });

  it('refuses a whole batch with one bad item, naming index and field', async () => {
    const b = batch('r-bad', 10);
    (b[7] as { value: unknown }).value = 'hot';
    const res = await post(b);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'INVALID_READINGS',
      field: '[7].value',
      errors: [{ index: 7, field: 'value' }],
    });
    expect(res.json().correlationId).toEqual(res.headers['x-correlation-id']);
    expect(await rows('r-bad')).toBe(0);
  });

  it('stores the good items with partial=true', async () => {
    const b = batch('r-part', 10);
    (b[2] as { sensor: unknown }).sensor = 'flux';
    const res = await post(b, admin, '/readings?partial=true');
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ accepted: 9, rejected: 1 });
    expect(await rows('r-part')).toBe(9);
  });

  it('needs a key, and a device key writes only its own readings', async () => {
    expect((await post(batch('r-auth', 1), {})).statusCode).toBe(401);
    expect((await post(batch('r-auth', 1), { 'x-api-key': 'iotk_nope' })).statusCode).toBe(401);
    const created = await h.api.inject({
      method: 'POST',
      url: '/devices',
      headers: admin,
      payload: { id: 'r-auth', name: 'auth test' },
    });
    const key = created.json<{ apiKey: string }>().apiKey;
    expect((await post(batch('r-auth', 3), { 'x-api-key': key })).statusCode).toBe(201);
    const other = await post(batch('r-other', 3), { 'x-api-key': key });
    expect(other.statusCode).toBe(403);
    expect(other.json().field).toBe('[0].deviceId');
    expect(await rows('r-other')).toBe(0);
    expect(ADMIN_KEY).not.toEqual(key);
  });

  it('pages with from/to and the x-next-cursor header', async () => {
    const from = new Date(t0 + 100_000).toISOString();
    const to = new Date(t0 + 200_000).toISOString();
    const seen: number[] = [];
    let url = `/readings?deviceId=r-1&from=${from}&to=${to}&limit=30`;
    for (let guard = 0; guard < 10; guard++) {
      const res = await h.api.inject({ headers: h.viewer, url });
      expect(res.statusCode).toBe(200);
      seen.push(...res.json<{ ts: number }[]>().map((r) => r.ts));
      const next = res.headers['x-next-cursor'];
      if (!next) break;
      url = `/readings?deviceId=r-1&from=${from}&to=${to}&limit=30&cursor=${next}`;
    }
    expect(seen).toHaveLength(100);
    expect(new Set(seen).size).toBe(100);
    expect(Math.min(...seen)).toBe(t0 + 100_000);
  });

  it('aggregates into buckets and thins to maxPoints', async () => {
    const from = new Date(t0 - (t0 % 60_000)).toISOString();
    const to = new Date(t0 - (t0 % 60_000) + 3_600_000).toISOString();
    const res = await h.api.inject({
      headers: h.viewer,
      url: `/readings/aggregate?deviceId=r-1&sensor=temperature&bucket=10s&fn=count&from=${from}&to=${to}&maxPoints=36`,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ bucketSeconds: number; points: { value: number }[] }>();
    expect(body.bucketSeconds).toBe(100);
    expect(body.points.length).toBeLessThanOrEqual(36);
    expect(body.points.reduce((s, p) => s + p.value, 0)).toBe(500);
  });
});
