/** Consumers and replicas: a target down, an outbox backlog, one hot replica, CPU-bound replicas. */
import { fmt, median, rate, select, slope, window, who } from './series-math';
import { finding, type Detector, type Series } from './snapshot';

const LOAD_MS = 120_000;

export const consumerDown: Detector = (s) => {
  const ups = select(s, 'up');
  const byJob = new Map<string, Series[]>();
  for (const x of ups)
    byJob.set(x.labels['job'] ?? '', [...(byJob.get(x.labels['job'] ?? '') ?? []), x]);
  return [...byJob].flatMap(([job, all]) => {
    const down = all.filter((x) => {
      const p = window(x.points, s.at, 60_000);
      return p.length >= 2 && p.slice(-2).every(([, v]) => v === 0);
    });
    if (!down.length) return [];
    const allDown = down.length === all.length;
    return down.map((x) =>
      finding({
        detector: 'consumer-down',
        severity: allDown ? 'critical' : 'warning',
        subject: who(x),
        title: `${who(x)} does not answer its /metrics scrape${allDown ? ` (no ${job} replica up)` : ''}`,
        confidence: 0.9,
        suggestion: allDown
          ? `Every ${job} replica is down: nothing consumes its MQTT topics; restart it and check its last log lines.`
          : `One of ${all.length} ${job} replicas is down; the others take its share (shared subscription) meanwhile.`,
        evidence: [
          {
            kind: 'metric',
            source: `up{job="${job}",instance="${x.labels['instance'] ?? ''}"}`,
            detail: 'last two scrapes failed',
            points: window(x.points, s.at, 300_000),
          },
        ],
      }),
    );
  });
};

export const backlogGrowing: Detector = (s) =>
  select(s, 'edge_outbox_depth').flatMap((x) => {
    const p = window(x.points, s.at, LOAD_MS);
    const sl = slope(p);
    if (p.length < 3 || sl === undefined) return [];
    const growth = p[p.length - 1][1] - p[0][1];
    if (growth < 50 || sl < 0.5) return [];
    return [
      finding({
        detector: 'backlog-growing',
        severity: p[p.length - 1][1] > 10_000 ? 'critical' : 'warning',
        subject: who(x),
        title: `Edge outbox of ${who(x)} grows by ${fmt(sl, 1)}/s (now ${p[p.length - 1][1]})`,
        confidence: Math.min(0.95, 0.6 + p.length / 40),
        suggestion:
          "The server does not acknowledge this edge's readings: check the broker link and the api consumers (and PostgreSQL behind them).",
        evidence: [
          {
            kind: 'metric',
            source: `edge_outbox_depth{instance="${x.labels['instance'] ?? ''}"}`,
            detail: `+${growth} in ${fmt((p[p.length - 1][0] - p[0][0]) / 1000, 0)} s`,
            points: p,
          },
        ],
      }),
    ];
  });

function perInstanceRates(series: Series[], at: number): { x: Series; r: number }[] {
  return series
    .map((x) => ({ x, r: rate(window(x.points, at, LOAD_MS)) }))
    .filter((e): e is { x: Series; r: number } => e.r !== undefined);
}

/** One replica of a job takes most of its load. */
export const replicaImbalance: Detector = (s) => {
  const out = [];
  for (const metric of ['readings_ingested_total', 'mqtt_messages_consumed_total']) {
    const byJob = new Map<string, Series[]>();
    for (const x of select(s, metric)) {
      const k = x.labels['job'] ?? '';
      byJob.set(k, [...(byJob.get(k) ?? []), x]);
    }
    for (const [job, series] of byJob) {
      // Sum per instance (a counter may have several label sets per instance).
      const perInstance = new Map<string, number>();
      for (const { x, r } of perInstanceRates(series, s.at))
        perInstance.set(
          x.labels['instance'] ?? '',
          (perInstance.get(x.labels['instance'] ?? '') ?? 0) + r,
        );
      if (perInstance.size < 2) continue;
      const total = [...perInstance.values()].reduce((a, b) => a + b, 0);
      if (total < 1) continue;
      const [hot, hotRate] = [...perInstance].sort((a, b) => b[1] - a[1])[0];
      const share = hotRate / total;
      if (share < Math.max(0.6, 1.5 / perInstance.size)) continue;
      out.push(
        finding({
          detector: 'replica-imbalance',
          severity: 'warning',
          subject: `${job}/${hot}`,
          title: `${job}/${hot} takes ${fmt(100 * share, 0)} % of the ${metric} load of ${perInstance.size} replicas`,
          confidence: Math.min(0.95, 0.5 + share / 2),
          suggestion: `Every ${job} replica must subscribe through the same MQTT v5 shared group (MQTT_SHARED_GROUP) on a broker that has them (Mosquitto/EMQX); a replica without it, or devices pinned by a sticky load balancer, concentrate the load.`,
          evidence: [
            {
              kind: 'metric',
              source: `sum by (instance) (rate(${metric}{job="${job}"}[2m]))`,
              detail: [...perInstance].map(([i, r]) => `${i}: ${fmt(r, 1)}/s`).join(', '),
            },
          ],
        }),
      );
      break;
    }
    if (out.length) break;
  }
  return out;
};

/** Every replica of a job is near a full core: scale out (HPA) or up. */
export const replicasCpuBound: Detector = (s) => {
  const byJob = new Map<string, { x: Series; r: number }[]>();
  for (const e of perInstanceRates(select(s, 'process_cpu_seconds_total'), s.at)) {
    const k = e.x.labels['job'] ?? '';
    byJob.set(k, [...(byJob.get(k) ?? []), e]);
  }
  return [...byJob].flatMap(([job, es]) => {
    const cpus = es.map((e) => e.r);
    if (median(cpus) < 0.8) return [];
    return [
      finding({
        detector: 'replicas-cpu-bound',
        severity: 'warning',
        subject: job,
        title: `${job}: ${es.length} replica(s) at ${fmt(median(cpus) * 100, 0)} % of a core (median)`,
        confidence: 0.85,
        suggestion: `Node.js runs one core per process: add replicas. In helm/iotmon raise ${job}.autoscaling.maxReplicas (HPA) or lower ${job}.autoscaling.targetCPUUtilizationPercentage so it scales earlier; without the HPA raise ${job}.replicas.`,
        evidence: [
          {
            kind: 'metric',
            source: `rate(process_cpu_seconds_total{job="${job}"}[2m])`,
            detail: es.map((e) => `${e.x.labels['instance'] ?? '?'}: ${fmt(e.r, 2)}`).join(', '),
          },
        ],
      }),
    ];
  });
};
