import { BUILT_IN_SENSOR_KINDS } from '@iotmon/domain';
import {
  formatAgo,
  formatClock,
  formatValue,
  sensorLabel,
  severityInfo,
  stateInfo,
  useKinds,
} from '../public/format.js';

describe('severityInfo', () => {
  it('gives every severity a text label and an icon, not only a colour class', () => {
    for (const s of ['info', 'warning', 'critical']) {
      const i = severityInfo(s);
      expect(i.label).toMatch(/^[A-Z][a-z]+$/);
      expect(i.icon.length).toBeGreaterThan(0);
      expect(i.className).toBe(`sev-${s}`);
    }
    expect(severityInfo('critical').rank).toBeGreaterThan(severityInfo('warning').rank);
  });

  it('shows unknown values as they are with a safe class name', () => {
    expect(severityInfo('<b>')).toMatchObject({ label: '<b>', className: 'sev-unknown', rank: 0 });
    expect(severityInfo('constructor')).toMatchObject({ label: 'constructor', rank: 0 });
  });
});

describe('stateInfo', () => {
  it('labels each alarm state', () => {
    expect(stateInfo('active').label).toBe('Active');
    expect(stateInfo('acknowledged')).toMatchObject({ label: 'Acknowledged', icon: '✓' });
    expect(stateInfo('nope').className).toBe('state-nope');
  });
});

describe('formatValue', () => {
  it("adds the catalogue's unit and rounds to the kind's decimals", () => {
    useKinds([
      ...BUILT_IN_SENSOR_KINDS,
      { id: 'radon', displayName: 'Radon', unit: 'Bq/m³', decimals: 2 },
    ]);
    expect(formatValue(21.456, 'temperature')).toBe('21.5 °C');
    expect(formatValue(1234.5, 'light')).toBe('1235 lx');
    expect(formatValue(812.3, 'co2')).toBe('812 ppm');
    expect(formatValue(41.234, 'radon')).toBe('41.23 Bq/m³');
    expect(sensorLabel('radon')).toBe('Radon');
    expect(formatValue(NaN, 'light')).toBe('–');
    expect(formatValue(3, 'unknown_kind')).toBe('3.00');
    expect(sensorLabel('unknown_kind')).toBe('Unknown kind');
  });
});

describe('formatAgo / formatClock', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);
  it('says how long ago', () => {
    expect(formatAgo(now - 4_000, now)).toBe('4 s ago');
    expect(formatAgo(new Date(now - 180_000).toISOString(), now)).toBe('3 min ago');
    expect(formatAgo(now - 7_200_000, now)).toBe('2 h ago');
    expect(formatAgo(now - 3 * 86_400_000, now)).toBe('3 d ago');
    expect(formatAgo(null, now)).toBe('never');
  });
  it('prints UTC clock times', () => {
    expect(formatClock(now + 61_000)).toBe('12:01:01');
    expect(formatClock('garbage')).toBe('–');
  });
});
