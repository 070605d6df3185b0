/**
 * A realistic reading generator: a daily cycle around a typical value, slow drift and
 * noise, clamped to the kind's valid range and rounded to its decimals. Kinds are data
 * (the sensor-kinds catalogue): the few the original system had keep their hand-tuned
 * profile, any other kind gets one from its range. Optional injected faults for demos and
 * tests: a source that throws, spikes (anomalies) and a stuck value.
 */
import type { SensorKind, SensorKindSpec } from '@iotmon/domain';

interface Profile {
  base: number;
  dailyAmplitude: number;
  noise: number;
}

/** Typical values of an office, so the demo's charts and default rules look real. */
const TYPICAL: Partial<Record<SensorKind, Profile>> = {
  temperature: { base: 23, dailyAmplitude: 4, noise: 0.3 },
  humidity: { base: 45, dailyAmplitude: 10, noise: 1 },
  light: { base: 400, dailyAmplitude: 380, noise: 15 },
  air_quality: { base: 40, dailyAmplitude: 15, noise: 3 },
  pressure: { base: 1013, dailyAmplitude: 3, noise: 0.5 },
  voltage: { base: 230, dailyAmplitude: 2, noise: 0.8 },
  current: { base: 4, dailyAmplitude: 2, noise: 0.2 },
  power: { base: 900, dailyAmplitude: 400, noise: 30 },
};

/** The range a simulated kind needs: its valid range and decimals. */
export type SimulatedKind = Pick<SensorKindSpec, 'id' | 'min' | 'max' | 'decimals'>;

/** A kind without a typical profile: a fifth of the way up its range, swinging a tenth. */
function profileOf(kind: SimulatedKind): Profile {
  const typical = TYPICAL[kind.id];
  if (typical) return typical;
  const span = kind.max - kind.min;
  return { base: kind.min + span * 0.2, dailyAmplitude: span * 0.1, noise: span * 0.005 };
}

function rounder(kind: SimulatedKind): (v: number) => number {
  const f = 10 ** Math.max(0, Math.min(6, kind.decimals));
  return (v) => Math.round(Math.max(kind.min, Math.min(kind.max, v)) * f) / f;
}

const DAY_MS = 86_400_000;

export type ReadingSource = (now: number) => number;

export interface SourceFaults {
  /** Probability per sample that reading the sensor fails (throws); 1 = always. */
  failRate?: number;
  /** Probability per sample of a spike of several daily amplitudes (an anomaly). */
  anomalyRate?: number;
  /** Probability per sample that the value freezes at the previous one (a stuck sensor). */
  stuckRate?: number;
}

export class SensorFault extends Error {}

/** Wraps a source with injected faults; without any it returns the source unchanged. */
export function withFaults(
  kind: SimulatedKind,
  source: ReadingSource,
  faults: SourceFaults = {},
  random: () => number = Math.random,
): ReadingSource {
  const { failRate = 0, anomalyRate = 0, stuckRate = 0 } = faults;
  if (failRate <= 0 && anomalyRate <= 0 && stuckRate <= 0) return source;
  const p = profileOf(kind);
  const round = rounder(kind);
  let last: number | undefined;
  return (now) => {
    if (failRate > 0 && random() < failRate) throw new SensorFault(`${kind.id} sensor read failed`);
    if (last !== undefined && stuckRate > 0 && random() < stuckRate) return last;
    let v = source(now);
    if (anomalyRate > 0 && random() < anomalyRate) {
      const spike = p.dailyAmplitude * (4 + 4 * random()) * (random() < 0.5 ? -1 : 1);
      v = round(v + spike);
    }
    last = v;
    return v;
  };
}

export function simulatedSource(
  kind: SimulatedKind,
  random: () => number = Math.random,
): ReadingSource {
  const p = profileOf(kind);
  const round = rounder(kind);
  let drift = 0;
  return (now) => {
    drift += (random() - 0.5) * p.noise * 0.1;
    drift = Math.max(-p.dailyAmplitude, Math.min(p.dailyAmplitude, drift));
    // Peak at 14:00 UTC, trough at 02:00.
    const phase = ((now % DAY_MS) / DAY_MS - 14 / 24) * 2 * Math.PI;
    return round(
      p.base + p.dailyAmplitude * Math.cos(phase) + drift + (random() - 0.5) * 2 * p.noise,
    );
  };
}
