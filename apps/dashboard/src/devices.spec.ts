import { deviceRows, searchDevices, statusOf } from '../public/devices.js';

const now = 1_000_000_000;

describe('statusOf', () => {
  it('is online while live readings arrive, even if the api said stale', () => {
    expect(statusOf('stale', now - 1000, now - 1000, now, 120_000)).toBe('online');
  });
  it('keeps offline from presence when nothing arrives live', () => {
    expect(statusOf('offline', now - 1000, undefined, now, 120_000)).toBe('offline');
  });
  it('turns stale, then offline, with silence', () => {
    expect(statusOf('online', now - 200_000, undefined, now, 120_000)).toBe('stale');
    expect(statusOf('online', now - 400_000, undefined, now, 120_000)).toBe('offline');
    expect(statusOf('unknown', null, undefined, now, 120_000)).toBe('unknown');
  });
});

describe('deviceRows / searchDevices', () => {
  const rows = deviceRows(
    [
      {
        id: 'edge-1',
        name: 'Office',
        location: 'Floor 2',
        sensors: ['temperature'],
        status: 'online',
        lastSeenAt: new Date(now - 5000).toISOString(),
      },
      {
        id: 'edge-2',
        name: 'Lab',
        location: 'Basement',
        sensors: [],
        status: 'offline',
        lastSeenAt: null,
      },
    ],
    new Map([
      ['edge-1', now - 1000],
      ['edge-9', now - 2000],
    ]),
    new Map([['edge-1', ['humidity', 'temperature']]]),
    now,
  );

  it('merges api devices with devices heard only live', () => {
    expect(rows.map((r) => [r.id, r.status, r.lastSeen])).toEqual([
      ['edge-1', 'online', now - 1000],
      ['edge-2', 'offline', null],
      ['edge-9', 'online', now - 2000],
    ]);
    expect(rows[0].sensors).toEqual(['humidity', 'temperature']);
  });

  it('searches every word in id, name, location, status and sensors', () => {
    expect(searchDevices(rows, 'floor office').map((r) => r.id)).toEqual(['edge-1']);
    expect(searchDevices(rows, 'OFFLINE').map((r) => r.id)).toEqual(['edge-2']);
    expect(searchDevices(rows, '  ').length).toBe(3);
  });
});
