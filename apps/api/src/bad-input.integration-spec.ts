/**
 * The bad-input matrix: wrong types, missing fields, NaN/Infinity, oversized batches and
 * bodies, unknown fields, negative or huge limits, SQL-looking strings in every parameter.
 * Each gets a 4xx naming the field; the server stays up; stored data is unchanged.
 */
import { Client } from 'pg';
import { admin, startApi, type ApiHarness } from './testing/api-harness';

const SQL = ["1' OR '1'='1", '1; DROP TABLE readings;--', "x') UNION SELECT * FROM devices--"];

describe('bad input', () => {
  let h: ApiHarness;
  let pg: Client;
  const snapshot = async () =>
    (
      await pg.query(
        `SELECT (SELECT count(*) FROM readings) r, (SELECT count(*) FROM devices) d,
                (SELECT count(*) FROM ac_sensor) a, (SELECT md5(string_agg(id || name || coalesce(location, ''), ',' ORDER BY id)) FROM devices) h`,
      )
    ).rows[0];
  let before: unknown;

  beforeAll(async () => {
    h = await startApi({ INGEST_MQTT: 'false' });
    pg = new Client({ connectionString: h.db.url });
    await pg.connect();
    await h.api.inject({
      method: 'POST',
      url: '/devices',
      headers: admin,
      payload: { id: 'keep-1', name: 'keep' },
    });
    await h.api.inject({
      method: 'POST',
      url: '/readings',
      headers: admin,
      payload: [{ deviceId: 'keep-1', sensor: 'humidity', value: 50, ts: Date.now() }],
    });
    before = await snapshot();
  });
  afterAll(async () => {
    await pg.end();
    await h.close();
  });

  const good = { deviceId: 'keep-1', sensor: 'temperature', value: 21, ts: Date.now() };
  const readingCases: [string, unknown, string][] = [
    ['value as a string', [{ ...good, value: '21' }], '[0].value'],
    ['missing value', [{ deviceId: 'keep-1', sensor: 'temperature', ts: Date.now() }], '[0].value'],
    ['missing deviceId', [{ sensor: 'temperature', value: 1, ts: Date.now() }], '[0].deviceId'],
    ['NaN value (as JSON cannot carry NaN, a string)', [{ ...good, value: 'NaN' }], '[0].value'],
    ['Infinity value (1e400 in the JSON text)', '1e400', '[0].value'],
    ['out-of-range value', [good, { ...good, value: 1e9 }], '[1].value'],
    ['unknown field', [{ ...good, extra: 1 }], '[0].extra'],
    ['unknown sensor', [{ ...good, sensor: 'flux' }], '[0].sensor'],
    ['bad timestamp', [{ ...good, ts: 'yesterday' }], '[0].ts'],
    ['negative seq', [{ ...good, seq: -3 }], '[0].seq'],
    ['fractional seq', [{ ...good, seq: 1.5 }], '[0].seq'],
    ['late as a string', [{ ...good, late: 'yes' }], '[0].late'],
    ['item not an object', [good, 5], '[1].item'],
    ['body an object', good, 'body'],
    ['empty batch', [], 'body'],
    ['10,001 readings', Array.from({ length: 10_001 }, () => good), 'body'],
    ...SQL.map((s): [string, unknown, string] => [
      `SQL in deviceId: ${s}`,
      [{ ...good, deviceId: s }],
      '[0].deviceId',
    ]),
    ...SQL.map((s): [string, unknown, string] => [
      `SQL in sensor: ${s}`,
      [{ ...good, sensor: s }],
      '[0].sensor',
    ]),
  ];

  it.each(readingCases)('POST /readings refuses %s', async (_what, payload, field) => {
    // A string payload is sent as raw JSON text with the value spliced in.
    const body =
      typeof payload === 'string'
        ? JSON.stringify([{ ...good, value: 0 }]).replace('"value":0', `"value":${payload}`)
        : JSON.stringify(payload);
    const res = await h.api.inject({
      method: 'POST',
      url: '/readings',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: body,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field });
    expect(res.json().correlationId).toBeTruthy();
  });

  it('refuses a body over the limit with 413, and malformed JSON with 400', async () => {
    const big = `[${Array.from({ length: 60_000 }, () => JSON.stringify({ ...good, deviceId: 'x'.repeat(60) })).join(',')}]`;
    const res = await h.api.inject({
      method: 'POST',
      url: '/readings',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: big,
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'BODY_TOO_LARGE', field: 'body' });
    const broken = await h.api.inject({
      method: 'POST',
      url: '/readings',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '[{"deviceId": ',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ field: 'body' });
  });

  const queryCases: [string, string][] = [
    ['/readings?limit=-1', 'limit'],
    ['/readings?limit=0', 'limit'],
    ['/readings?limit=1000000000000', 'limit'],
    ['/readings?limit=abc', 'limit'],
    ['/readings?from=yesterday', 'from'],
    ['/readings?cursor=!!!', 'cursor'],
    ['/readings?cursor=eyJhIjoxfQ', 'cursor'],
    ['/readings?bogus=1', 'bogus'],
    [
      '/readings/aggregate?sensor=temperature&bucket=5m&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
      'bucket',
    ],
    [
      '/readings/aggregate?sensor=temperature&bucket=1m&fn=median&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
      'fn',
    ],
    ['/readings/aggregate?sensor=temperature&bucket=1m&from=2026-01-01T00:00:00Z', 'to'],
    [
      '/readings/aggregate?sensor=temperature&bucket=1m&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      'to',
    ],
    [
      '/readings/aggregate?sensor=temperature&bucket=1m&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&maxPoints=-5',
      'maxPoints',
    ],
    ['/devices?limit=-1', 'limit'],
    ['/devices?limit=1001', 'limit'],
    ['/devices?offset=-1', 'offset'],
    ['/devices?sort=password', 'sort'],
    ['/devices?status=dead', 'status'],
    ['/devices?sort=name&cursor=abc', 'cursor'],
    ['/devices/a%20b', 'id'],
    ...SQL.flatMap((s): [string, string][] => {
      const q = encodeURIComponent(s);
      return [
        [`/readings?deviceId=${q}`, 'deviceId'],
        [`/readings?sensor=${q}`, 'sensor'],
        [`/readings?from=${q}`, 'from'],
        [`/readings?to=${q}`, 'to'],
        [`/readings?limit=${q}`, 'limit'],
        [`/readings?cursor=${q}`, 'cursor'],
        [
          `/readings/aggregate?sensor=${q}&bucket=1m&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`,
          'sensor',
        ],
        [
          `/readings/aggregate?deviceId=${q}&sensor=light&bucket=1m&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z`,
          'deviceId',
        ],
        [`/devices?kind=${q}`, 'kind'],
        [`/devices?status=${q}`, 'status'],
        [`/devices?sort=${q}`, 'sort'],
        [`/devices?offset=${q}`, 'offset'],
        [`/devices?cursor=${q}`, 'cursor'],
        [`/devices/${q}`, 'id'],
      ];
    }),
  ];

  it.each(queryCases)('GET %s is refused naming %s', async (url, field) => {
    const res = await h.api.inject({ headers: h.viewer, url });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });

  it('keeps SQL-looking text in a location as data', async () => {
    const res = await h.api.inject({
      headers: h.viewer,
      url: `/devices?location=${encodeURIComponent(SQL[1])}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([]);
  });

  const deviceCases: [string, unknown, string][] = [
    ['missing name', { id: 'n-1' }, 'name'],
    ['id with spaces', { id: 'a b', name: 'x' }, 'id'],
    ['name a number', { id: 'n-2', name: 5 }, 'name'],
    ['unknown field', { id: 'n-3', name: 'x', owner: 'me' }, 'owner'],
    ['unknown sensor', { id: 'n-4', name: 'x', sensors: ['flux'] }, 'sensors'],
    ['metadata an array', { id: 'n-5', name: 'x', metadata: [1] }, 'metadata'],
    ['huge metadata', { id: 'n-6', name: 'x', metadata: { a: 'x'.repeat(9000) } }, 'metadata'],
    ['SQL id', { id: SQL[0], name: 'x' }, 'id'],
    ['bulk with a bad item', [{ id: 'n-7', name: 'x' }, { id: 'n-8' }], '[1].name'],
    [
      'bulk with a repeated id',
      [
        { id: 'n-9', name: 'x' },
        { id: 'n-9', name: 'y' },
      ],
      '[1].id',
    ],
    [
      'bulk of 1,001',
      Array.from({ length: 1001 }, (_, i) => ({ id: `b-${i}`, name: 'x' })),
      'body',
    ],
  ];

  it.each(deviceCases)('POST /devices refuses %s', async (_what, payload, field) => {
    const res = await h.api.inject({
      method: 'POST',
      url: '/devices',
      headers: admin,
      payload: payload as object,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });

  it('PATCH refuses unknown fields and wrong types', async () => {
    for (const [payload, field] of [
      [{ id: 'other' }, 'id'],
      [{ name: 7 }, 'name'],
      [{ sensors: 'temperature' }, 'sensors'],
    ] as const) {
      const res = await h.api.inject({
        method: 'PATCH',
        url: '/devices/keep-1',
        headers: admin,
        payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().field).toBe(field);
    }
  });

  it('stays up and leaves stored data unchanged', async () => {
    expect((await h.api.inject({ headers: h.viewer, url: '/health/live' })).statusCode).toBe(200);
    expect(await snapshot()).toEqual(before);
  });
});
