/**
 * Sensor kinds are data at the edge: a configured kind the node's catalogue lacks waits; the
 * config topic brings the catalogue with the rules, and the running process (no restart)
 * starts simulating the kind within its range and evaluates the kind's rule on it; a
 * catalogue without the kind stops it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUILT_IN_CATALOGUE,
  SensorCatalogue,
  toWireKinds,
  topics,
  type SensorKindSpec,
} from '@iotmon/domain';
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { connectAsync } from 'mqtt';
import { compileEdge, EdgeProcess, Recorder, registerDevice } from './testing/edge-process';

const NODE = 'edge-kinds-it';
const RADON: SensorKindSpec = {
  id: 'radon',
  displayName: 'Radon',
  unit: 'Bq/m³',
  min: 100,
  max: 400,
  decimals: 1,
  defaultRules: [],
};

describe('edge and the sensor-kinds catalogue', () => {
  let broker: RegistryBroker;
  let db: TestDatabase;
  let edge: EdgeProcess;
  let build: ReturnType<typeof compileEdge>;
  let dir: string;
  const rec = new Recorder();
  const withRadon = new SensorCatalogue([...BUILT_IN_CATALOGUE.kinds, RADON]);

  const publishConfig = async (body: object) => {
    const pub = await connectAsync(broker.url, broker.login('alerting'));
    await pub.publishAsync(topics.config(NODE), JSON.stringify(body), { qos: 1, retain: true });
    await pub.endAsync();
  };

  beforeAll(async () => {
    build = compileEdge('edge-kinds');
    dir = mkdtempSync(join(tmpdir(), 'edge-kinds-'));
    db = await createTestDatabase();
    broker = await startRegistryBroker({
      databaseUrl: db.url,
      services: generateServicePasswords(),
      port: 0,
    });
    rec.kinds = withRadon;
    await rec.connect(broker, NODE);
    edge = new EdgeProcess(build.main, {
      MQTT_URL: broker.url,
      ...(await registerDevice(db.url, NODE)),
      NODE_ID: NODE,
      SENSORS: 'temperature:100,radon:100',
      OUTBOX_DIR: join(dir, 'outbox'),
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

  it('waits with a kind its catalogue lacks, and samples the others', async () => {
    await waitFor(() => rec.readings.filter((r) => r.sensor === 'temperature').length >= 5, {
      what: 'temperature readings',
    });
    expect(rec.readings.some((r) => r.sensor === 'radon')).toBe(false);
    expect(edge.output.join('\n')).toMatch(/sensor radon waits for its kind/);
  });

  it('simulates and evaluates the kind once the config brings it, without a restart', async () => {
    await publishConfig({
      version: 1,
      name: 'with radon',
      rules: [
        {
          id: 'radon_any',
          sensor: 'radon',
          severity: 'warning',
          kind: 'threshold',
          op: '>',
          value: 50,
        },
      ],
      kinds: toWireKinds(withRadon),
    });
    await waitFor(() => rec.readings.filter((r) => r.sensor === 'radon').length >= 5, {
      what: 'radon readings',
    });
    for (const r of rec.readings.filter((x) => x.sensor === 'radon')) {
      expect(r.value).toBeGreaterThanOrEqual(RADON.min);
      expect(r.value).toBeLessThanOrEqual(RADON.max);
      expect(Number(r.value.toFixed(1))).toBe(r.value);
    }
    const raised = await waitFor(
      () => rec.events.find((e) => e.ruleId === 'radon_any' && e.state === 'raised'),
      { what: 'radon_any raised' },
    );
    expect(raised).toMatchObject({ deviceId: NODE, sensor: 'radon', severity: 'warning' });
  });

  it('refuses a config whose rules name a kind outside its catalogue, keeping the last one', async () => {
    await publishConfig({
      version: 1,
      name: 'bad',
      rules: [{ id: 'x', sensor: 'radon', severity: 'info', kind: 'threshold', op: '>', value: 1 }],
      kinds: toWireKinds(BUILT_IN_CATALOGUE),
    });
    await waitFor(() => edge.output.some((l) => /rejected rule set.*rules\[0\]\.sensor/.test(l)), {
      what: 'the rejection',
    });
    await publishConfig({
      version: 1,
      name: 'with radon',
      rules: [],
      kinds: [{ ...toWireKinds(withRadon)[0], max: -100 }],
    });
    await waitFor(() => edge.output.some((l) => /rejected rule set.*kinds\[0\]\.max/.test(l)), {
      what: 'the bad catalogue refused',
    });
  });

  it('stops the kind when the catalogue loses it', async () => {
    await publishConfig({
      version: 1,
      name: 'no radon',
      rules: [],
      kinds: toWireKinds(BUILT_IN_CATALOGUE),
    });
    await waitFor(() => edge.output.some((l) => /sensor radon stopped/.test(l)), {
      what: 'radon stopped',
    });
    const stoppedAt = Date.now();
    await waitFor(
      () =>
        rec.readings.filter((r) => r.sensor === 'temperature' && r.ts > stoppedAt + 100).length >=
        3,
      {
        what: 'temperature goes on',
      },
    );
    expect(rec.readings.filter((r) => r.sensor === 'radon' && r.ts > stoppedAt + 100)).toEqual([]);
  });
});
