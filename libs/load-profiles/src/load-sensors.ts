/**
 * Plausible value ranges for generated readings. Kept here rather than imported from
 * @iotmon/domain because k6 must load this lib and the domain's codecs need TextDecoder,
 * which k6 lacks; a spec checks every kind and range against the built-in sensor-kinds catalogue.
 */
export interface LoadSensor {
  kind: string;
  min: number;
  max: number;
}

export const LOAD_SENSORS: readonly LoadSensor[] = [
  { kind: 'temperature', min: 15, max: 35 },
  { kind: 'humidity', min: 20, max: 80 },
  { kind: 'light', min: 0, max: 1_500 },
  { kind: 'air_quality', min: 10, max: 180 },
];
