import { AlarmStore } from '../public/alarm-store.js';

const alarm = (id: string, over: Record<string, unknown> = {}) => ({
  id,
  deviceId: 'edge-1',
  sensor: 'temperature',
  ruleId: 'temperature_alert',
  state: 'active',
  severity: 'warning',
  message: 'temperature 35 °C above 30 °C',
  firstAt: '2024-01-01T00:00:00.000Z',
  lastAt: '2024-01-01T00:00:00.000Z',
  count: 1,
  updatedAt: '2024-01-01T00:00:00.000Z',
  ...over,
});

describe('AlarmStore', () => {
  it('does not let a stale copy (an older REST page) overwrite a newer live change', () => {
    const s = new AlarmStore();
    s.upsert(alarm('1', { state: 'acknowledged', updatedAt: '2024-01-01T00:00:05.000Z' }));
    expect(s.upsert(alarm('1', { state: 'active', updatedAt: '2024-01-01T00:00:01.000Z' }))).toBe(
      false,
    );
    expect(s.byId.get('1')!.state).toBe('acknowledged');
  });

  it('remembers the newest live event id for Last-Event-ID', () => {
    const s = new AlarmStore();
    s.apply({ id: '9', change: 'raised', at: '', alarm: alarm('1') });
    s.apply({
      id: '12',
      change: 'acknowledged',
      at: '',
      alarm: alarm('1', { state: 'acknowledged', updatedAt: '2024-01-01T00:00:01.000Z' }),
    });
    s.apply({ id: '10', change: 'raised', at: '', alarm: alarm('2') });
    expect(s.lastEventId).toBe('12');
    expect(s.byId.get('1')!.state).toBe('acknowledged');
  });

  it('filters by state, severity, device and text; open and severe first', () => {
    const s = new AlarmStore();
    s.upsert(alarm('1', { severity: 'info' }));
    s.upsert(
      alarm('2', { severity: 'critical', deviceId: 'edge-2', message: 'air quality hazardous' }),
    );
    s.upsert(alarm('3', { state: 'cleared', severity: 'critical' }));
    expect(s.list().map((a) => a.id)).toEqual(['2', '1', '3']);
    expect(s.list({ states: ['cleared'] }).map((a) => a.id)).toEqual(['3']);
    expect(s.list({ severities: ['critical'] }).map((a) => a.id)).toEqual(['2', '3']);
    expect(s.list({ deviceId: 'edge-2' }).map((a) => a.id)).toEqual(['2']);
    expect(s.list({ text: 'HAZARD' }).map((a) => a.id)).toEqual(['2']);
    expect(s.openCounts()).toEqual({ critical: 1, warning: 0, info: 1 });
  });

  it('is bounded and drops cleared episodes first', () => {
    const s = new AlarmStore(3);
    s.upsert(alarm('1', { state: 'cleared' }));
    s.upsert(alarm('2'));
    s.upsert(alarm('3'));
    s.upsert(alarm('4'));
    expect([...s.byId.keys()].sort()).toEqual(['2', '3', '4']);
  });
});
