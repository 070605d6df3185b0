import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEdgeConfig } from './edge-config';

describe('edge config', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'edge-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (json: unknown) => {
    const p = join(dir, `c${Math.random()}.json`);
    writeFileSync(p, typeof json === 'string' ? json : JSON.stringify(json));
    return p;
  };

  it('defaults to four environmental sensors at 5-10 s, QoS 1, port 3002, a disk outbox', () => {
    const c = loadEdgeConfig({});
    expect(c.sensors.map((s) => `${s.kind}/${s.intervalMs}`)).toEqual([
      'temperature/5000',
      'humidity/7000',
      'light/10000',
      'air_quality/6000',
    ]);
    expect(c).toMatchObject({
      nodeId: 'edge-1',
      rawQos: 1,
      rawBatch: 1,
      httpPort: 3002,
      fleet: undefined,
    });
    expect(c.outbox.dir).toBe('.data/outbox/edge-1');
  });

  it('takes per-sensor intervals down to 1 ms, HVAC fields, sources and faults from env', () => {
    const c = loadEdgeConfig({
      SENSORS: 'temperature:1,power,voltage:250',
      SENSOR_INTERVAL_MS: '2000',
      SENSOR_SOURCE: 'replay:/data/rec.csv',
      SENSOR_FAULTS: 'power:fail=0.5,voltage:anomaly',
      OUTBOX_DIR: 'none',
      FLEET_NODES: '10',
    });
    expect(c.sensors).toEqual([
      {
        kind: 'temperature',
        intervalMs: 1,
        source: { type: 'replay', file: '/data/rec.csv' },
        faults: {},
      },
      {
        kind: 'power',
        intervalMs: 2000,
        source: { type: 'replay', file: '/data/rec.csv' },
        faults: { failRate: 0.5 },
      },
      {
        kind: 'voltage',
        intervalMs: 250,
        source: { type: 'replay', file: '/data/rec.csv' },
        faults: { anomalyRate: 1 },
      },
    ]);
    expect(c.outbox.dir).toBeUndefined();
    expect(c.fleet).toEqual({ nodes: 10, prefix: 'edge-1-' });
  });

  it.each([
    [{ SENSORS: 'temperature,Wind!' }, /SENSORS has "Wind!", which is not a sensor kind id/],
    [{ SENSORS: 'temperature:0' }, /SENSORS interval of temperature/],
    [{ SENSORS: 'light,light' }, /SENSORS lists a sensor twice/],
    [{ RAW_QOS: '2' }, /RAW_QOS must be between 0 and 1/],
    [{ SENSOR_SOURCE: 'file' }, /SENSOR_SOURCE must be/],
    [{ SENSOR_FAULTS: 'light:melt' }, /SENSOR_FAULTS entry "light:melt"/],
    [{ OUTBOX_MAX_BYTES: 'lots' }, /OUTBOX_MAX_BYTES must be an integer/],
    [{ RECONNECT_MIN_MS: '5000', RECONNECT_MAX_MS: '1000' }, /RECONNECT_MAX_MS/],
    [{ EDGE_HTTP_PORT: '70000' }, /EDGE_HTTP_PORT/],
    [{ NODE_ID: 'a b' }, /NODE_ID/],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => loadEdgeConfig(env)).toThrow(message);
  });

  it('reads a JSON config file, with env winning over it', () => {
    const path = file({
      nodeId: 'lab-3',
      sensors: [
        { kind: 'humidity', intervalMs: 50, faults: { stuckRate: 0.1 } },
        { kind: 'current', source: { replay: 'x.jsonl' } },
      ],
      outbox: { maxBytes: 4096 },
      rawBatch: 10,
    });
    const c = loadEdgeConfig({ EDGE_CONFIG_FILE: path, RAW_BATCH: '5' });
    expect(c.nodeId).toBe('lab-3');
    expect(c.rawBatch).toBe(5);
    expect(c.outbox.maxBytes).toBe(4096);
    expect(c.sensors).toEqual([
      {
        kind: 'humidity',
        intervalMs: 50,
        source: { type: 'simulated' },
        faults: { stuckRate: 0.1 },
      },
      {
        kind: 'current',
        intervalMs: 5000,
        source: { type: 'replay', file: 'x.jsonl' },
        faults: {},
      },
    ]);
  });

  it('names the file and the field path of a bad value in the file', () => {
    const bad = file({ sensors: [{ kind: 'humidity' }, { kind: 'Humidity 2' }] });
    expect(() => loadEdgeConfig({ EDGE_CONFIG_FILE: bad })).toThrow(`${bad} sensors[1].kind`);
    const worse = file({ outbox: { maxAgeMs: -1 } });
    expect(() => loadEdgeConfig({ EDGE_CONFIG_FILE: worse })).toThrow(`${worse} outbox.maxAgeMs`);
    const unknown = file({ colour: 'red' });
    expect(() => loadEdgeConfig({ EDGE_CONFIG_FILE: unknown })).toThrow(
      /colour is not a known field/,
    );
    expect(() => loadEdgeConfig({ EDGE_CONFIG_FILE: file('{nope') })).toThrow(/EDGE_CONFIG_FILE/);
  });
});
