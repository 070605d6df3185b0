/** Devices: gone silent (no reading for many of its own intervals) or drifting from their history. */
import { fmt, ms, num, str } from './series-math';
import { finding, type Detector } from './snapshot';

/** An offline notice (last will) is believed after this long: a restart comes back sooner. */
const OFFLINE_GRACE_S = 15;

export const deviceSilent: Detector = (s) =>
  (s.tables.devices ?? []).flatMap((d) => {
    // The newest reading when known; last_seen_at also moves on presence changes.
    const reading = ms(d['last_reading_at']);
    const last = Number.isFinite(reading) ? reading : ms(d['last_seen_at']);
    if (!Number.isFinite(last)) return []; // never sent anything: provisioned, not silent
    const interval = num(d['median_interval_s']);
    const limitS = Math.max(60, 5 * (Number.isFinite(interval) ? interval : 10));
    const offline = d['presence'] === 'offline';
    const silentS = (s.at - last) / 1000;
    const offlineS = (s.at - ms(d['last_seen_at'])) / 1000;
    if (silentS > 7 * 86_400) return [];
    if (silentS < limitS && !(offline && offlineS >= OFFLINE_GRACE_S)) return [];
    return [
      finding({
        detector: 'device-silent',
        severity: 'warning',
        subject: str(d['id']),
        title: `${str(d['id'])} silent for ${fmt(silentS / 60, 1)} min${offline ? ' (reported offline)' : ' while still marked online'}`,
        confidence: offline ? 0.95 : 0.8,
        suggestion: offline
          ? 'The node said goodbye or its last will fired: check its power and network.'
          : 'No reading and no offline notice: the node hangs or lost its link without the broker noticing yet; check it on site.',
        evidence: [
          {
            kind: 'rows',
            source:
              'devices (last_seen_at, presence, last reading and median interval of its readings)',
            detail: `last heard ${new Date(last).toISOString()}${offline ? ', offline' : ''}, usually every ${fmt(interval, 1)} s`,
            rows: [d],
          },
        ],
      }),
    ];
  });

export const deviceDrift: Detector = (s) =>
  (s.tables.reading_stats ?? []).flatMap((r) => {
    const histN = num(r['hist_n']);
    const recentN = num(r['recent_n']);
    if (histN < 30 || recentN < 5) return [];
    const sd = Math.max(num(r['hist_std']), 1e-9);
    const z = (num(r['recent_mean']) - num(r['hist_mean'])) / sd;
    if (Math.abs(z) < 4) return [];
    const key = `${str(r['device_id'])}/${str(r['sensor'])}`;
    return [
      finding({
        detector: 'device-drift',
        severity: 'warning',
        subject: key,
        title: `${key} reads ${fmt(Math.abs(z), 1)} σ ${z > 0 ? 'above' : 'below'} its own history`,
        confidence: Math.min(0.95, 0.5 + Math.abs(z) / 20),
        suggestion:
          'A sensor drifting from its own past without a rule firing: recalibrate or replace it, or confirm the change on site.',
        evidence: [
          {
            kind: 'rows',
            source: 'reading_stats (last 10 min vs the 24 h before)',
            detail: `recent mean ${fmt(num(r['recent_mean']))} vs ${fmt(num(r['hist_mean']))} ± ${fmt(sd)} (z = ${fmt(z, 1)})`,
            rows: [r],
          },
        ],
      }),
    ];
  });
