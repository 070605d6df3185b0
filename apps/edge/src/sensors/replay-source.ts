/**
 * Replays real recordings: a CSV file (header with `sensor` and `value` columns, `ts`
 * optional) or JSON lines (`{"sensor": "temperature", "value": 21.4}`). Each sensor plays its
 * own values in file order, looping, stamped with the current time.
 */
import { readFileSync } from 'node:fs';
import { isSensorKindId, type SensorKind } from '@iotmon/domain';
import type { ReadingSource } from './simulated-source';

export type Recording = Partial<Record<SensorKind, number[]>>;

/** Parses a recording; throws naming the file, line and field of the first bad row. */
export function parseRecording(text: string, name = 'replay file'): Recording {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const out: Recording = {};
  const add = (line: number, sensor: unknown, value: unknown) => {
    if (!isSensorKindId(sensor))
      throw new Error(`${name} line ${line}: sensor "${String(sensor)}" is not a sensor kind id`);
    const v = typeof value === 'number' ? value : Number(value);
    if (typeof value === 'string' && value.trim() === '')
      throw new Error(`${name} line ${line}: value is empty`);
    if (!Number.isFinite(v))
      throw new Error(`${name} line ${line}: value "${String(value)}" is not a number`);
    (out[sensor] ??= []).push(v);
  };
  if (lines.length === 0) throw new Error(`${name} has no readings`);
  if (lines[0].trimStart().startsWith('{')) {
    lines.forEach((l, i) => {
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(l) as Record<string, unknown>;
      } catch (e) {
        throw new Error(`${name} line ${i + 1}: not valid JSON (${(e as Error).message})`);
      }
      add(i + 1, row['sensor'], row['value']);
    });
    return out;
  }
  const header = lines[0].split(',').map((h) => h.trim());
  const si = header.indexOf('sensor');
  const vi = header.indexOf('value');
  if (si < 0 || vi < 0)
    throw new Error(`${name}: CSV header must name the columns sensor and value`);
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',').map((c) => c.trim());
    add(i + 1, cells[si], cells[vi]);
  }
  return out;
}

export function loadRecording(path: string): Recording {
  return parseRecording(readFileSync(path, 'utf8'), path);
}

export function replaySource(
  kind: SensorKind,
  recording: Recording,
  origin = 'replay file',
): ReadingSource {
  const values = recording[kind];
  if (!values?.length) throw new Error(`${origin} has no readings for sensor ${kind}`);
  let i = 0;
  return () => {
    const v = values[i];
    i = (i + 1) % values.length;
    return v;
  };
}
