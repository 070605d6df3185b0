/** Disk: readings kept past the retention the api should apply, or growing without one. */
import { fmt, mean, ms, num, str } from './series-math';
import { finding, type Detector } from './snapshot';

const DAY = 86_400_000;
const MB = 1024 * 1024;

export const diskGrowthBeyondRetention: Detector = (s) => {
  const parts = (s.tables.partitions ?? []).filter((r) => num(r['bytes']) > 0 && str(r['day']));
  const ret = s.tables.retention?.[0];
  if (!ret || !parts.length) return [];
  const retentionDays = num(ret['retention_days']);
  const budget = num(ret['disk_budget_bytes']);
  const dbBytes = num(ret['db_bytes']);
  const today = Math.floor(s.at / DAY) * DAY;
  const days = parts.map((r) => ({
    day: ms(str(r['day'])),
    bytes: num(r['bytes']),
    name: str(r['name']),
  }));
  const full = days.filter((d) => d.day < today).sort((a, b) => a.day - b.day);
  const perDay = mean(full.slice(-3).map((d) => d.bytes));
  const stored = days.length;
  if (retentionDays > 0) {
    const stale = days.filter((d) => d.day < today - (retentionDays + 1) * DAY);
    if (!stale.length) return [];
    return [
      finding({
        detector: 'disk-growth-beyond-retention',
        severity: 'warning',
        subject: 'postgresql/readings',
        title: `${stale.length} readings partition(s) older than the ${retentionDays}-day retention are still there`,
        confidence: 0.9,
        suggestion:
          'The api drops old partitions hourly (readings_drop_partitions_before): check that an api replica runs and its log for partition maintenance errors.',
        evidence: [
          {
            kind: 'rows',
            source: 'partitions (pg_inherits of readings, pg_total_relation_size)',
            detail: `oldest ${stale[0].name}`,
            rows: stale.slice(0, 10).map((d) => ({
              name: d.name,
              day: new Date(d.day).toISOString().slice(0, 10),
              bytes: d.bytes,
            })),
          },
        ],
      }),
    ];
  }
  // Retention off: a finding only when the growth will fill the budget soon or data piles up.
  const daysLeft =
    Number.isFinite(budget) && budget > 0 && perDay > 0 ? (budget - dbBytes) / perDay : Infinity;
  if (daysLeft > 30 && stored <= 35) return [];
  return [
    finding({
      detector: 'disk-growth-beyond-retention',
      severity: daysLeft < 7 ? 'critical' : 'warning',
      subject: 'postgresql/readings',
      title: Number.isFinite(daysLeft)
        ? `Retention is off: readings grow ${fmt(perDay / MB, 0)} MB/day, the disk budget is full in ${fmt(Math.max(0, daysLeft), 1)} days`
        : `Retention is off: ${stored} days of readings stored and growing ${fmt(perDay / MB, 0)} MB/day`,
      confidence: full.length >= 3 ? 0.9 : 0.7,
      suggestion: `Set RETENTION_DAYS on the api (for example ${Math.max(7, Math.floor(Number.isFinite(daysLeft) ? Math.min(30, (budget / Math.max(perDay, 1)) * 0.7) : 30))}); partitions older than that are then dropped hourly.`,
      evidence: [
        {
          kind: 'rows',
          source: 'retention (api RETENTION_DAYS, pg_database_size, ADVISOR_DB_DISK_BUDGET_BYTES)',
          detail: `retention_days=0, db ${fmt(dbBytes / MB, 0)} MB`,
          rows: [ret],
        },
        {
          kind: 'rows',
          source: 'partitions (pg_inherits of readings, pg_total_relation_size)',
          detail: `${stored} partitions with data, last three full days ${fmt(perDay / MB, 1)} MB/day`,
          rows: full.slice(-5).map((d) => ({ name: d.name, bytes: d.bytes })),
        },
      ],
    }),
  ];
};
