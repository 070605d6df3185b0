/**
 * Acceptance 1: the broker is stopped for 10 s and started again on the same port. Every
 * event raised during the outage arrives afterwards, once, in order per sensor, marked late;
 * so do the readings (all within the outbox limits here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConstraintEvent, Reading, SensorKind } from '@iotmon/domain';
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { compileEdge, EdgeProcess, Recorder, registerDevice } from './testing/edge-process';

const NODE = 'edge-outage';
const OUTAGE_MS = 10_000;

describe('broker outage', () => {
  let broker: RegistryBroker;
  let db: TestDatabase;
  const services = generateServicePasswords();
  let edge: EdgeProcess;
  let build: ReturnType<typeof compileEdge>;
  let dir: string;
  const rec = new Recorder();

  beforeAll(async () => {
    build = compileEdge('edge-outage');
    dir = mkdtempSync(join(tmpdir(), 'edge-outage-'));
    // temperature alternates 10/40: every reading raises or clears temperature_alert.
    // humidity 50/75/60: humidity_high (hysteresis 70/65) raises on 75 and clears on 60.
    const rows = ['sensor,value'];
    for (let i = 0; i < 6; i++) rows.push(`temperature,${i % 2 ? 40 : 10}`);
    for (const v of [50, 75, 60]) rows.push(`humidity,${v}`);
    writeFileSync(join(dir, 'replay.csv'), rows.join('\n'));
    db = await createTestDatabase();
    broker = await startRegistryBroker({ databaseUrl: db.url, services, port: 0 });
    await rec.connect(broker, NODE);
    edge = new EdgeProcess(build.main, {
      MQTT_URL: broker.url,
      ...(await registerDevice(db.url, NODE)),
      NODE_ID: NODE,
      SENSORS: 'temperature:100,humidity:150',
      SENSOR_SOURCE: `replay:${join(dir, 'replay.csv')}`,
      OUTBOX_DIR: join(dir, 'outbox'),
      RECONNECT_MIN_MS: '100',
      RECONNECT_MAX_MS: '1000',
      HEARTBEAT_MS: '1000',
    });
  });

  afterAll(async () => {
    await edge?.stop();
    await rec.close();
    await broker?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
    build?.cleanup();
  });

  it('delivers everything captured during the outage afterwards, once, in order, marked late', async () => {
    await waitFor(() => rec.readings.filter((r) => r.sensor === 'temperature').length >= 10, {
      timeoutMs: 15_000,
      what: 'live temperature readings',
    });
    const port = broker.port;
    await rec.close();
    const stoppedAt = Date.now();
    await broker.close();
    await new Promise((r) => setTimeout(r, OUTAGE_MS));

    const during = await edge.get<{ outbox: { events: number; readings: number } }>('/health');
    expect(during.outbox.events).toBeGreaterThan(40);
    expect(during.outbox.readings).toBeGreaterThan(100);

    // The edge is held at the door until the recorder has subscribed, so nothing it replays
    // can pass before anyone listens.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    broker = await startRegistryBroker({
      databaseUrl: db.url,
      services,
      port,
      aedes: {
        preConnect: (client, packet, done) => {
          if (packet.clientId?.startsWith('edge-')) void gate.then(() => done(null, true));
          else done(null, true);
        },
      },
    });
    const restartedAt = Date.now();
    await rec.connect(broker, NODE);
    open();

    await waitFor(
      async () => {
        const h = await edge.get<{ outbox: { events: number; readings: number } }>('/health');
        return (
          h.outbox.events + h.outbox.readings === 0 &&
          rec.readings.some((r) => r.ts > restartedAt + 1_000 && r.sensor === 'temperature')
        );
      },
      { timeoutMs: 20_000, what: 'the outbox to drain and live readings to resume' },
    );
    await edge.stop();

    for (const sensor of ['temperature', 'humidity'] as SensorKind[]) {
      const readings = rec.readings.filter((r) => r.sensor === sensor && r.ts >= stoppedAt);
      const events = rec.events.filter((e) => e.sensor === sensor && e.ts >= stoppedAt);
      expectContiguous(readings);
      expectOncePerReading(sensor, readings, events);
      // Captured while the broker was away: marked late, so the server does not re-alarm.
      const gap = (x: { ts: number }) => x.ts > stoppedAt + 500 && x.ts < restartedAt - 500;
      expect(readings.filter(gap).length).toBeGreaterThan(sensor === 'temperature' ? 70 : 45);
      expect(readings.filter(gap).every((r) => r.late)).toBe(true);
      expect(events.filter(gap).every((e) => e.late)).toBe(true);
      expect(events.filter((e) => e.ts > restartedAt + 2_000).some((e) => e.late)).toBe(false);
    }
  });
});

/** seq strictly increasing by one in arrival order: in order, none twice, none missing. */
function expectContiguous(readings: Reading[]): void {
  const seqs = readings.map((r) => r.seq!);
  expect(seqs.length).toBeGreaterThan(0);
  expect(seqs).toEqual(seqs.map((_s, i) => seqs[0] + i));
}

/** Each reading that must make a transition has exactly one event, in the same order. */
function expectOncePerReading(
  sensor: SensorKind,
  readings: Reading[],
  events: ConstraintEvent[],
): void {
  const expected =
    sensor === 'temperature'
      ? readings.map((r) => `${r.ts}:${r.value > 30 ? 'raised' : 'cleared'}`)
      : readings
          .filter((r) => r.value === 75 || r.value === 60)
          .map((r) => `${r.ts}:${r.value === 75 ? 'raised' : 'cleared'}`);
  const got = events.map((e) => `${e.ts}:${e.state}`);
  // The first reading after the cut may have had its transition before it: compare from the
  // first event on.
  const from = expected.indexOf(got[0]);
  expect(from).toBeGreaterThanOrEqual(0);
  expect(from).toBeLessThanOrEqual(1);
  expect(got).toEqual(expected.slice(from));
}
