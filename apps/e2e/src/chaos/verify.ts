/**
 * What the chaos run checks afterwards, by sequence number: each edge node's last sequence
 * numbers (its state.json, written when it stopped) against what PostgreSQL holds.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';

export interface Tally {
  generatedReadings: number;
  lostReadings: number;
  duplicateReadings: number;
  generatedEvents: number;
  lostEvents: number;
  raises: number;
  raisesWithoutEpisode: number;
  dueWebhooks: number;
  undelivered: number;
  duplicateDeliveries: number;
}

interface EdgeDirs {
  prefix: string;
  outboxDir: string;
}

export async function verify(
  db: Client,
  edges: EdgeDirs[],
  deliveries: Map<string, number>,
  sensors: string[],
  log: (m: string) => void,
): Promise<Tally> {
  const t: Tally = {
    generatedReadings: 0,
    lostReadings: 0,
    duplicateReadings: 0,
    generatedEvents: 0,
    lostEvents: 0,
    raises: 0,
    raisesWithoutEpisode: 0,
    dueWebhooks: 0,
    undelivered: 0,
    duplicateDeliveries: 0,
  };
  for (const e of edges) {
    const stored = await db.query<{
      device_id: string;
      sensor: string;
      n: string;
      d: string;
      lo: number;
      hi: number;
    }>(
      `SELECT device_id, sensor, count(*) AS n, count(DISTINCT seq) AS d, min(seq) AS lo, max(seq) AS hi
         FROM readings WHERE device_id LIKE $1 GROUP BY 1, 2`,
      [`${e.prefix}%`],
    );
    const byStream = new Map(stored.rows.map((r) => [`${r.device_id}/${r.sensor}`, r]));
    const events = await db.query<{ device_id: string; n: string; raised: string }>(
      `SELECT device_id, count(*) AS n, count(*) FILTER (WHERE state = 'raised') AS raised
         FROM constraint_events WHERE device_id LIKE $1 GROUP BY 1`,
      [`${e.prefix}%`],
    );
    const eventsBy = new Map(events.rows.map((r) => [r.device_id, r]));
    const episodes = await db.query<{ device_id: string; n: string }>(
      `SELECT device_id, count(*) AS n FROM alarms WHERE device_id LIKE $1 GROUP BY 1`,
      [`${e.prefix}%`],
    );
    const episodesBy = new Map(episodes.rows.map((r) => [r.device_id, Number(r.n)]));
    for (const node of existsSync(e.outboxDir) ? readdirSync(e.outboxDir) : []) {
      const statePath = join(e.outboxDir, node, 'state.json');
      if (!existsSync(statePath)) continue;
      const state = JSON.parse(readFileSync(statePath, 'utf8')) as {
        lastSeq: Record<string, number>;
      };
      for (const sensor of sensors) {
        const generated = state.lastSeq[sensor] ?? 0;
        const row = byStream.get(`${node}/${sensor}`);
        const distinct = row ? Number(row.d) : 0;
        t.generatedReadings += generated;
        // Sequence numbers start at 1 and never repeat, so 1..generated must all be there.
        const lost = generated - distinct + (row && row.hi > generated ? row.hi - generated : 0);
        if (lost > 0)
          log(
            `${node}/${sensor}: generated 1..${generated}, stored ${distinct} distinct (${row?.lo}..${row?.hi})`,
          );
        t.lostReadings += Math.max(0, lost);
        t.duplicateReadings += row ? Number(row.n) - distinct : 0;
      }
      const ev = eventsBy.get(node);
      const generatedEvents = state.lastSeq['event'] ?? 0;
      t.generatedEvents += generatedEvents;
      const storedEvents = ev ? Number(ev.n) : 0;
      if (storedEvents < generatedEvents)
        log(`${node}: ${generatedEvents} events generated, ${storedEvents} stored`);
      t.lostEvents += Math.max(0, generatedEvents - storedEvents);
      const raised = ev ? Number(ev.raised) : 0;
      t.raises += raised;
      const eps = episodesBy.get(node) ?? 0;
      if (eps !== raised) log(`${node}: ${raised} raises stored, ${eps} episodes`);
      t.raisesWithoutEpisode += Math.abs(raised - eps);
    }
  }
  const due = await db.query<{ id: string; status: string }>(
    `SELECT d.id, d.status FROM webhook_deliveries d JOIN alarms a ON a.id = d.alarm_id
      WHERE a.device_id LIKE ANY ($1)`,
    [edges.map((e) => `${e.prefix}%`)],
  );
  t.dueWebhooks = due.rows.length;
  for (const r of due.rows) {
    const got = deliveries.get(r.id) ?? 0;
    if (got === 0) t.undelivered++;
    else t.duplicateDeliveries += got - 1;
  }
  return t;
}
