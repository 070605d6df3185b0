/**
 * Acceptance 2-4 on one real edge process and a real broker: a failing sensor leaves the
 * others running and is reported; a rule set on the config topic changes decisions from the
 * next reading on; SIGKILL makes the broker publish the last will (offline).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics, type RuleSet } from '@iotmon/domain';
import {
  generateServicePasswords,
  startRegistryBroker,
  type RegistryBroker,
} from '@iotmon/messaging';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import { connectAsync } from 'mqtt';
import type { HealthReport } from './http/edge-health';
import { compileEdge, EdgeProcess, Recorder, registerDevice } from './testing/edge-process';

const NODE = 'edge-node-it';

describe('edge node', () => {
  let broker: RegistryBroker;
  let db: TestDatabase;
  const services = generateServicePasswords();
  let edge: EdgeProcess;
  let build: ReturnType<typeof compileEdge>;
  let dir: string;
  const rec = new Recorder();

  beforeAll(async () => {
    build = compileEdge('edge-node');
    dir = mkdtempSync(join(tmpdir(), 'edge-node-'));
    const rows = ['sensor,value', 'temperature,10', 'temperature,40', 'humidity,50', 'light,500'];
    writeFileSync(join(dir, 'replay.csv'), rows.join('\n'));
    db = await createTestDatabase();
    broker = await startRegistryBroker({ databaseUrl: db.url, services, port: 0 });
    await rec.connect(broker, NODE);
    edge = new EdgeProcess(build.main, {
      MQTT_URL: broker.url,
      ...(await registerDevice(db.url, NODE)),
      NODE_ID: NODE,
      SENSORS: 'temperature:100,humidity:100,light:100',
      SENSOR_SOURCE: `replay:${join(dir, 'replay.csv')}`,
      SENSOR_FAULTS: 'light:fail',
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

  it('announces itself online on the retained status topic', async () => {
    await waitFor(() => rec.presence.some((p) => p.status === 'online'), {
      what: 'online presence',
    });
  });

  it('keeps the other sensors running while one source throws, and reports it', async () => {
    await waitFor(
      () =>
        rec.readings.filter((r) => r.sensor === 'temperature').length >= 10 &&
        rec.readings.filter((r) => r.sensor === 'humidity').length >= 10,
      { timeoutMs: 15_000, what: 'temperature and humidity readings' },
    );
    expect(rec.readings.some((r) => r.sensor === 'light')).toBe(false);
    const health = await edge.get<HealthReport>('/health');
    expect(health.status).toBe('degraded');
    expect(health.failingSensors).toBe(1);
    const light = health.sensors.find((s) => s.sensor === 'light')!;
    expect(light.failures).toBeGreaterThan(5);
    expect(light.lastError).toMatch(/light sensor read failed/);
    expect(health.sensors.find((s) => s.sensor === 'temperature')!.failures).toBe(0);
    const metrics = await edge.get<string>('/metrics');
    expect(metrics).toMatch(/edge_sensor_failing\{sensor="light"\} 1/);
    expect(metrics).toMatch(/edge_sensor_failing\{sensor="temperature"\} 0/);
    expect(edge.output.join('\n')).toMatch(/sensor light failing/);
  });

  it('decides with the built-in rules until a config arrives, then with the new rule set from the next reading on', async () => {
    expect(rec.events.some((e) => e.ruleId === 'temperature_alert' && e.state === 'raised')).toBe(
      true,
    );
    const ruleSet: RuleSet = {
      version: 1,
      name: 'cold only',
      rules: [
        {
          id: 'temperature_cold',
          sensor: 'temperature',
          severity: 'warning',
          kind: 'threshold',
          op: '<',
          value: 15,
        },
      ],
    };
    const pub = await connectAsync(broker.url, broker.login('alerting'));
    await pub.publishAsync(topics.config(NODE), JSON.stringify(ruleSet), { qos: 1, retain: true });
    await pub.endAsync();
    const applied = await waitFor(
      async () => {
        const h = await edge.get<HealthReport>('/health');
        return h.ruleSet?.name === 'cold only' ? h.ruleSet : undefined;
      },
      { what: 'the new rule set applied' },
    );
    await waitFor(
      () =>
        rec.readings.filter((r) => r.sensor === 'temperature' && r.ts > applied.appliedAt).length >=
        6,
      { what: 'temperature readings after the swap' },
    );
    await new Promise((r) => setTimeout(r, 200));
    const after = rec.readings.filter(
      (r) => r.sensor === 'temperature' && r.ts > applied.appliedAt,
    );
    const events = rec.events.filter((e) => e.sensor === 'temperature' && e.ts > applied.appliedAt);
    // From the first reading after the swap, temperature_cold (a new rule, clean state)
    // decides: 10 raises it, 40 clears it; temperature_alert never raises again.
    let raised = false;
    const expected: string[] = [];
    for (const r of after) {
      if (r.value < 15 === raised) continue;
      raised = !raised;
      expected.push(`temperature_cold:${r.ts}:${raised ? 'raised' : 'cleared'}`);
    }
    const got = events
      .filter((e) => e.ruleId === 'temperature_cold')
      .map((e) => `${e.ruleId}:${e.ts}:${e.state}`);
    expect(got.slice(0, expected.length)).toEqual(expected);
    expect(events.some((e) => e.ruleId === 'temperature_alert' && e.state === 'raised')).toBe(
      false,
    );
  });

  it('keeps its rule set when a config does not validate, and says why', async () => {
    const pub = await connectAsync(broker.url, broker.login('alerting'));
    await pub.publishAsync(
      topics.config(NODE),
      JSON.stringify({
        version: 1,
        rules: [{ id: 'x', sensor: 'temperature', kind: 'threshold' }],
      }),
      { qos: 1, retain: true },
    );
    await pub.endAsync();
    await waitFor(() => edge.output.some((l) => /rejected rule set/.test(l)), {
      what: 'the rejection logged',
    });
    expect((await edge.get<HealthReport>('/health')).ruleSet?.name).toBe('cold only');
  });

  it('is marked offline by its last will when the process is killed', async () => {
    rec.presence = [];
    await edge.stop('SIGKILL');
    await waitFor(() => rec.presence.some((p) => p.status === 'offline'), {
      what: 'the last will',
    });
    // Retained: a newcomer sees the node offline too.
    const late = new Recorder();
    await late.connect(broker, NODE);
    await waitFor(() => late.presence.length > 0, { what: 'retained status' });
    expect(late.presence.at(-1)!.status).toBe('offline');
    await late.close();
  });
});
