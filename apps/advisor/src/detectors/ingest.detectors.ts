/** Ingestion: readings stopped being committed, writes fail, commits get slower. */
import { fmt, mean, rate, rateSeries, select, window } from './series-math';
import { finding, type Detector, type Series, type Snapshot } from './snapshot';

const RECENT_MS = 60_000;
const BASELINE_MS = 300_000;

/** The summed rate of a counter over all series, in (recent, before-recent) windows. */
function ratesOf(series: Series[], at: number): { recent?: number; before?: number } {
  const rs = series.map((x) => rate(window(x.points, at, RECENT_MS)));
  const bs = series.map((x) => rate(window(x.points, at - RECENT_MS, BASELINE_MS - RECENT_MS)));
  const sum = (xs: (number | undefined)[]) =>
    xs.some((v) => v !== undefined) ? xs.reduce<number>((a, v) => a + (v ?? 0), 0) : undefined;
  return { recent: sum(rs), before: sum(bs) };
}

export const ingestStalled: Detector = (s) => {
  const series = select(s, 'readings_ingested_total');
  const { recent, before } = ratesOf(series, s.at);
  if (recent === undefined || before === undefined || before < 0.2 || recent > before * 0.05)
    return [];
  const outbox = select(s, 'edge_outbox_depth').filter((x) => {
    const p = window(x.points, s.at, RECENT_MS);
    return p.length >= 2 && p[p.length - 1][1] > p[0][1];
  });
  return [
    finding({
      detector: 'ingest-stalled',
      severity: 'critical',
      subject: 'ingest',
      title: `No readings committed in the last ${RECENT_MS / 1000} s (was ${fmt(before, 1)}/s)`,
      confidence: outbox.length ? 0.95 : 0.8,
      suggestion:
        'Readings are not reaching PostgreSQL: see the database and consumer findings; edges keep them in their outbox until acknowledged.',
      evidence: [
        {
          kind: 'metric',
          source: 'sum(rate(readings_ingested_total[1m]))',
          detail: `${fmt(recent, 2)}/s now vs ${fmt(before, 1)}/s in the 4 minutes before`,
          points: mergeRates(series, s.at),
        },
        ...outbox.map((x) => ({
          kind: 'metric' as const,
          source: `edge_outbox_depth{instance="${x.labels['instance'] ?? ''}"}`,
          detail: 'the edge outbox grows meanwhile',
          points: window(x.points, s.at, BASELINE_MS),
        })),
      ],
    }),
  ];
};

function mergeRates(series: Series[], at: number): [number, number][] {
  const byT = new Map<number, number>();
  for (const x of series)
    for (const [t, v] of rateSeries(window(x.points, at, BASELINE_MS)))
      byT.set(t, (byT.get(t) ?? 0) + v);
  return [...byT].sort((a, b) => a[0] - b[0]);
}

const WRITE_ERROR = /COPY|insert|write|readings|batch|commit/i;

export const ingestWriteFailures: Detector = (s) => {
  const lines = s.logs.filter(
    (l) =>
      l.app.startsWith('api') &&
      l.ts > s.at - 120_000 &&
      (l.level === 'error' || l.level === 'fatal') &&
      WRITE_ERROR.test(l.msg),
  );
  const rejected = select(s, 'mqtt_readings_rejected_total')
    .map((x) => rate(window(x.points, s.at, 120_000)) ?? 0)
    .reduce((a, b) => a + b, 0);
  if (lines.length < 3 && rejected < 1) return [];
  return [
    finding({
      detector: 'ingest-write-failures',
      severity: lines.length >= 3 ? 'critical' : 'warning',
      subject: 'ingest',
      title:
        lines.length >= 3
          ? `${lines.length} failed reading writes logged by the api in 2 min`
          : `${fmt(rejected, 1)} readings/s rejected by validation`,
      confidence: lines.length >= 10 ? 0.95 : 0.8,
      suggestion:
        lines.length >= 3
          ? 'The api retries a failed batch and edges re-send what was not acknowledged; fix the cause named in the log lines.'
          : 'A device sends readings the api rejects: see mqtt_readings_rejected_total and the device firmware.',
      evidence: [
        ...(lines.length
          ? [
              {
                kind: 'logs' as const,
                source: 'api log, level error',
                detail: `${lines.length} lines`,
                lines: lines.slice(-5),
              },
            ]
          : []),
        ...(rejected >= 1
          ? [
              {
                kind: 'metric' as const,
                source: 'sum(rate(mqtt_readings_rejected_total[2m]))',
                detail: `${fmt(rejected, 1)}/s`,
              },
            ]
          : []),
      ],
    }),
  ];
};

/** Mean commit time of the coalesced writes rose well above its own baseline. */
export const ingestLagRising: Detector = (s) =>
  select(s, 'readings_commit_seconds_sum').flatMap((sum) => {
    const count = select(s, 'readings_commit_seconds_count', sum.labels)[0];
    if (!count) return [];
    const meanOf = (from: number, len: number) => {
      const ds = rate(window(sum.points, from, len));
      const dc = rate(window(count.points, from, len));
      return ds !== undefined && dc !== undefined && dc > 0 ? ds / dc : undefined;
    };
    const recent = meanOf(s.at, RECENT_MS);
    const before = meanOf(s.at - RECENT_MS, BASELINE_MS - RECENT_MS);
    if (recent === undefined || before === undefined || recent < 0.05 || recent < 3 * before)
      return [];
    const sumR = rateSeries(window(sum.points, s.at, BASELINE_MS));
    const cntR = rateSeries(window(count.points, s.at, BASELINE_MS));
    const points = sumR.map(([t, v], i): [number, number] => [
      t,
      cntR[i]?.[1] ? v / cntR[i][1] : 0,
    ]);
    return [
      finding({
        detector: 'ingest-lag-rising',
        severity: recent >= 0.5 ? 'critical' : 'warning',
        subject: `ingest/${sum.labels['instance'] ?? sum.labels['method'] ?? 'api'}`,
        title: `Reading writes take ${fmt(recent * 1000, 0)} ms, ${fmt(recent / Math.max(before, 1e-6), 0)}× their baseline`,
        confidence: Math.min(
          0.95,
          0.6 + mean(points.map(([, v]) => (v > 3 * before ? 0.1 : 0))) * 3,
        ),
        suggestion:
          'PostgreSQL commits slowly: check disk latency (fsync), checkpoints and lock waits; readings queue in memory and then in the edge outboxes.',
        evidence: [
          {
            kind: 'metric',
            source:
              'rate(readings_commit_seconds_sum[1m]) / rate(readings_commit_seconds_count[1m])',
            detail: `${fmt(recent * 1000, 1)} ms now vs ${fmt(before * 1000, 1)} ms before`,
            points,
          },
        ],
      }),
    ];
  });

export const snapshotHasIngest = (s: Snapshot) => select(s, 'readings_ingested_total').length > 0;
