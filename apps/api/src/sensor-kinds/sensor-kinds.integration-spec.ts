/**
 * The sensor-kinds catalogue against real PostgreSQL and a real broker: the seeded kinds, an
 * admin's new kind accepted at once over REST and MQTT, a kind written by another process
 * picked up by NOTIFY, validation naming the field, and deletion refused while in use. No
 * process is restarted.
 */
import { BUILT_IN_SENSOR_KINDS, topics } from '@iotmon/domain';
import { waitFor } from '@iotmon/testing';
import { connectAsync, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import { admin, startApi, type ApiHarness } from '../testing/api-harness';

const RADON = {
  id: 'radon',
  displayName: 'Radon',
  unit: 'Bq/m³',
  min: 0,
  max: 5000,
  decimals: 1,
  defaultRules: [
    {
      id: 'radon_high',
      severity: 'warning',
      kind: 'threshold',
      op: '>',
      value: 300,
      message: 'radon {value} Bq/m³',
    },
  ],
};

describe('/sensor-kinds', () => {
  let h: ApiHarness;
  let mqtt: MqttClient;
  const now = Date.now();

  beforeAll(async () => {
    h = await startApi();
    mqtt = await connectAsync(h.broker.url, {
      clientId: `kinds-${process.pid}`,
      ...h.broker.login('edge-fleet'),
    });
  });
  afterAll(async () => {
    await mqtt.endAsync();
    await h.close();
  });

  const req = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    headers: Record<string, string> = admin,
  ) => h.api.inject({ method, url, headers, payload });
  const readings = (sensor: string, value: number, deviceId = 'kind-dev') =>
    req('POST', '/readings', [{ deviceId, sensor, value, ts: now, seq: 1 }]);
  const stored = async (deviceId: string, sensor: string) =>
    (await req('GET', `/readings?deviceId=${deviceId}&sensor=${sensor}`)).json<unknown[]>();

  it('serves the seeded catalogue: the eight built-ins and the building kinds, in order', async () => {
    const res = await req('GET', '/sensor-kinds');
    expect(res.statusCode).toBe(200);
    // Compared semantically: jsonb keeps rule keys in its own order.
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(BUILT_IN_SENSOR_KINDS)));
    expect(res.json<{ id: string; unit: string }[]>().map((k) => `${k.id}:${k.unit}`)).toEqual(
      expect.arrayContaining([
        'co2:ppm',
        'pm2_5:µg/m³',
        'pm10:µg/m³',
        'voc:ppb',
        'occupancy:count',
        'energy:kWh',
        'noise:dB(A)',
      ]),
    );
    expect((await req('GET', '/sensor-kinds/co2')).json()).toMatchObject({ unit: 'ppm', min: 0 });
    expect((await req('GET', '/sensor-kinds/nope')).statusCode).toBe(404);
    expect((await req('GET', '/sensor-kinds/No-pe')).json()).toMatchObject({
      statusCode: 400,
      field: 'id',
    });
  });

  it('lets only admins write', async () => {
    expect((await req('POST', '/sensor-kinds', RADON, {})).statusCode).toBe(401);
    const device = await req('POST', '/devices', { id: 'kind-writer', name: 'w' });
    const key = device.json<{ apiKey: string }>().apiKey;
    const res = await req('POST', '/sensor-kinds', RADON, { 'x-api-key': key });
    expect(res.statusCode).toBe(403);
    expect(
      (await req('PATCH', '/sensor-kinds/co2', { unit: 'x' }, { 'x-api-key': key })).statusCode,
    ).toBe(403);
    expect(
      (await req('DELETE', '/sensor-kinds/co2', undefined, { 'x-api-key': key })).statusCode,
    ).toBe(403);
  });

  it.each([
    ['a bad id', { ...RADON, id: 'Radon!' }, 'id'],
    ['an empty unit', { ...RADON, unit: '' }, 'unit'],
    ['a long unit', { ...RADON, unit: 'x'.repeat(17) }, 'unit'],
    ['min not below max', { ...RADON, min: 10, max: 10 }, 'max'],
    ['a non-numeric min', { ...RADON, min: 'low' }, 'min'],
    ['decimals above 6', { ...RADON, decimals: 7 }, 'decimals'],
    ['fractional decimals', { ...RADON, decimals: 1.5 }, 'decimals'],
    ['an unknown field', { ...RADON, colour: 'red' }, 'colour'],
    [
      'a rule of an unknown kind',
      { ...RADON, defaultRules: [{ ...RADON.defaultRules[0], kind: 'magic' }] },
      'defaultRules[0].kind',
    ],
    [
      'a rule naming a sensor',
      { ...RADON, defaultRules: [{ ...RADON.defaultRules[0], sensor: 'co2' }] },
      'defaultRules[0].sensor',
    ],
    [
      'a rule id of another kind',
      { ...RADON, defaultRules: [{ ...RADON.defaultRules[0], id: 'temperature_alert' }] },
      'defaultRules[0].id',
    ],
  ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
    const res = await req('POST', '/sensor-kinds', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field });
    expect((await req('GET', '/sensor-kinds/radon')).statusCode).toBe(404);
  });

  it('accepts readings of a new kind at once over REST and MQTT; an unknown kind is still refused', async () => {
    expect((await readings('radon', 120)).json()).toMatchObject({
      code: 'INVALID_READINGS',
      field: '[0].sensor',
    });
    const created = await req('POST', '/sensor-kinds', RADON);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual(RADON);
    expect((await req('POST', '/sensor-kinds', RADON)).json()).toMatchObject({
      statusCode: 409,
      field: 'id',
    });

    expect((await readings('radon', 120)).json()).toEqual({ accepted: 1, rejected: 0 });
    const outOfRange = await readings('radon', 9000);
    expect(outOfRange.json()).toMatchObject({
      field: '[0].value',
      message: expect.stringContaining('Bq/m³'),
    });
    const unknown = await readings('flux', 1);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      field: '[0].sensor',
      message: expect.stringContaining('catalogue'),
    });

    await mqtt.publishAsync(
      topics.raw('kind-mqtt', 'radon'),
      JSON.stringify({ value: 42.5, ts: now, seq: 7 }),
      { qos: 1 },
    );
    await mqtt.publishAsync(
      topics.raw('kind-mqtt', 'flux'),
      JSON.stringify({ value: 1, ts: now, seq: 1 }),
      { qos: 1 },
    );
    await waitFor(async () => (await stored('kind-mqtt', 'radon')).length === 1, {
      what: 'the MQTT reading of radon',
    });
    expect(await stored('kind-mqtt', 'radon')).toEqual([
      expect.objectContaining({ value: 42.5, seq: 7 }),
    ]);
    expect(await stored('kind-mqtt', 'flux')).toEqual([]);

    const devices = await req('POST', '/devices', {
      id: 'radon-dev',
      name: 'r',
      sensors: ['radon', 'co2'],
    });
    expect(devices.statusCode).toBe(201);
    expect(
      (
        await req('POST', '/devices', { id: 'flux-dev', name: 'f', sensors: ['co2', 'flux'] })
      ).json(),
    ).toMatchObject({ field: 'sensors[1]' });
  });

  it('changes a kind with PATCH: the new range applies to the next reading', async () => {
    const res = await req('PATCH', '/sensor-kinds/radon', { max: 100, displayName: 'Radon-222' });
    expect(res.json()).toMatchObject({
      id: 'radon',
      max: 100,
      displayName: 'Radon-222',
      unit: 'Bq/m³',
    });
    expect((await readings('radon', 120, 'kind-dev-2')).json()).toMatchObject({
      field: '[0].value',
    });
    expect((await req('PATCH', '/sensor-kinds/radon', { min: 200 })).json()).toMatchObject({
      field: 'max',
    });
    expect((await req('PATCH', '/sensor-kinds/gone', { unit: 'x' })).statusCode).toBe(404);
  });

  it('picks up a kind another process wrote, by NOTIFY, without a restart', async () => {
    const pg = new Client({ connectionString: h.db.url });
    await pg.connect();
    try {
      await pg.query(
        `INSERT INTO sensor_kinds (id, display_name, unit, min, max, decimals) VALUES ('wind', 'Wind', 'm/s', 0, 100, 1)`,
      );
    } finally {
      await pg.end();
    }
    // Another replica's write: this api hears the NOTIFY (MQTT ingestion would also reload on a miss, REST does not).
    await waitFor(async () => (await readings('wind', 12)).statusCode === 201, {
      what: 'the wind kind',
    });
  });

  it('refuses to delete a kind in use (409) and deletes an unused one', async () => {
    const inUse = await req('DELETE', '/sensor-kinds/radon');
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json()).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('readings'),
    });
    await req('POST', '/sensor-kinds', {
      id: 'spare',
      displayName: 'Spare',
      unit: 'u',
      min: 0,
      max: 1,
    });
    const gone = await req('DELETE', '/sensor-kinds/spare');
    expect(gone.statusCode).toBe(204);
    expect((await req('GET', '/sensor-kinds/spare')).statusCode).toBe(404);
    expect((await readings('spare', 0.5)).json()).toMatchObject({ field: '[0].sensor' });
  });
});
