/**
 * The optional JSON config file (EDGE_CONFIG_FILE). Every field is checked; an error names
 * the file and the field path, e.g. `config: edge.json sensors[1].intervalMs must be ...`.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '@iotmon/config';
import { isSensorKindId } from '@iotmon/domain';
import type { SensorEntry } from './sensor-list';

export interface FileConfig {
  nodeId?: string;
  mqtt?: { url?: string; username?: string; password?: string };
  sensors?: SensorEntry[];
  rawQos?: number;
  rawBatch?: number;
  heartbeatMs?: number;
  tickMs?: number;
  outbox?: { dir?: string; maxBytes?: number; maxAgeMs?: number };
  reconnect?: { minMs?: number; maxMs?: number };
  httpPort?: number;
  fleet?: { nodes?: number; prefix?: string };
}

type Obj = Record<string, unknown>;

class FileChecker {
  constructor(private readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new ConfigError(`${this.file} ${path}`, problem);
  }

  object(v: unknown, path: string, keys: string[]): Obj {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      this.fail(path, 'must be an object');
    for (const k of Object.keys(v as Obj)) {
      if (!keys.includes(k)) this.fail(path ? `${path}.${k}` : k, 'is not a known field');
    }
    return v as Obj;
  }

  string(o: Obj, key: string, path: string): string | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') this.fail(`${path}${key}`, 'must be a non-empty string');
    return v;
  }

  int(o: Obj, key: string, path: string, min: number, max: number): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      this.fail(
        `${path}${key}`,
        `must be an integer between ${min} and ${max}, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  }

  rate(o: Obj, key: string, path: string): number | undefined {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      this.fail(`${path}${key}`, `must be a probability between 0 and 1, got ${JSON.stringify(v)}`);
    }
    return v;
  }
}

export function readConfigFile(file: string): FileConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(
      'EDGE_CONFIG_FILE',
      `"${file}" cannot be read as JSON: ${(e as Error).message}`,
    );
  }
  return parseConfigFile(json, file);
}

export function parseConfigFile(json: unknown, file = 'config file'): FileConfig {
  const c = new FileChecker(file);
  const o = c.object(json, '', [
    'nodeId',
    'mqtt',
    'sensors',
    'rawQos',
    'rawBatch',
    'heartbeatMs',
    'tickMs',
    'outbox',
    'reconnect',
    'httpPort',
    'fleet',
  ]);
  const out: FileConfig = {
    nodeId: c.string(o, 'nodeId', ''),
    rawQos: c.int(o, 'rawQos', '', 0, 1),
    rawBatch: c.int(o, 'rawBatch', '', 1, 1_000),
    heartbeatMs: c.int(o, 'heartbeatMs', '', 0, 3_600_000),
    tickMs: c.int(o, 'tickMs', '', 10, 600_000),
    httpPort: c.int(o, 'httpPort', '', 0, 65_535),
  };
  if (o['mqtt'] !== undefined) {
    const m = c.object(o['mqtt'], 'mqtt', ['url', 'username', 'password']);
    out.mqtt = {
      url: c.string(m, 'url', 'mqtt.'),
      username: c.string(m, 'username', 'mqtt.'),
      password: c.string(m, 'password', 'mqtt.'),
    };
  }
  if (o['outbox'] !== undefined) {
    const b = c.object(o['outbox'], 'outbox', ['dir', 'maxBytes', 'maxAgeMs']);
    out.outbox = {
      dir: c.string(b, 'dir', 'outbox.'),
      maxBytes: c.int(b, 'maxBytes', 'outbox.', 1_024, Number.MAX_SAFE_INTEGER),
      maxAgeMs: c.int(b, 'maxAgeMs', 'outbox.', 1_000, Number.MAX_SAFE_INTEGER),
    };
  }
  if (o['reconnect'] !== undefined) {
    const r = c.object(o['reconnect'], 'reconnect', ['minMs', 'maxMs']);
    out.reconnect = {
      minMs: c.int(r, 'minMs', 'reconnect.', 10, 600_000),
      maxMs: c.int(r, 'maxMs', 'reconnect.', 10, 3_600_000),
    };
  }
  if (o['fleet'] !== undefined) {
    const f = c.object(o['fleet'], 'fleet', ['nodes', 'prefix']);
    out.fleet = {
      nodes: c.int(f, 'nodes', 'fleet.', 0, 100_000),
      prefix: c.string(f, 'prefix', 'fleet.'),
    };
  }
  if (o['sensors'] !== undefined) {
    if (!Array.isArray(o['sensors']) || o['sensors'].length === 0)
      c.fail('sensors', 'must be a non-empty array');
    out.sensors = (o['sensors'] as unknown[]).map((item, i) => sensor(c, item, `sensors[${i}]`));
  }
  return out;
}

function sensor(c: FileChecker, item: unknown, path: string): SensorEntry {
  const s = c.object(item, path, ['kind', 'intervalMs', 'source', 'faults']);
  const kind = s['kind'];
  if (!isSensorKindId(kind))
    c.fail(
      `${path}.kind`,
      `must be a sensor kind id (a-z, 0-9 and _, starting with a letter), got ${JSON.stringify(kind)}`,
    );
  const entry: SensorEntry = { kind, intervalMs: c.int(s, 'intervalMs', `${path}.`, 1, 3_600_000) };
  const source = s['source'];
  if (source === 'simulated') entry.source = { type: 'simulated' };
  else if (source !== undefined) {
    const r = c.object(source, `${path}.source`, ['replay']);
    const file = c.string(r, 'replay', `${path}.source.`);
    if (!file) c.fail(`${path}.source`, 'must be "simulated" or { "replay": "<file>" }');
    entry.source = { type: 'replay', file };
  }
  if (s['faults'] !== undefined) {
    const f = c.object(s['faults'], `${path}.faults`, ['failRate', 'anomalyRate', 'stuckRate']);
    const p = `${path}.faults.`;
    entry.faults = {
      failRate: c.rate(f, 'failRate', p),
      anomalyRate: c.rate(f, 'anomalyRate', p),
      stuckRate: c.rate(f, 'stuckRate', p),
    };
  }
  return entry;
}
