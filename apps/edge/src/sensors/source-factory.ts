/**
 * Builds each sensor's source from its config and its kind's catalogue entry (range,
 * decimals); replay files are read once and shared.
 */
import type { SensorKindSpec } from '@iotmon/domain';
import type { SensorConfig } from '../config/edge-config';
import { loadRecording, replaySource, type Recording } from './replay-source';
import { simulatedSource, withFaults, type ReadingSource } from './simulated-source';

export class SourceFactory {
  private readonly recordings = new Map<string, Recording>();

  create(
    sensor: SensorConfig,
    kind: SensorKindSpec,
    random: () => number = Math.random,
  ): ReadingSource {
    const base =
      sensor.source.type === 'replay'
        ? replaySource(sensor.kind, this.recording(sensor.source.file), sensor.source.file)
        : simulatedSource(kind, random);
    return withFaults(kind, base, sensor.faults, random);
  }

  private recording(file: string): Recording {
    let r = this.recordings.get(file);
    if (!r) this.recordings.set(file, (r = loadRecording(file)));
    return r;
  }
}
