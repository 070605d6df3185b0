/**
 * The live feed: alarm changes from every replica (PostgreSQL LISTEN on the channel the
 * recorder notifies at commit) and raw readings, written to Server-Sent Events clients.
 * Alarm events carry the history id as SSE id, so a client reconnecting with Last-Event-ID
 * gets what it missed replayed from alarm_history.
 */
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { alarmJsonSql, isoSql } from '../alarms/alarm-sql';
import { LIVE_CHANNEL } from '../alarms/live-channel';
import { PgConnections, type Listener } from '@iotmon/persistence';
import { ALERTING_CONFIG, type AlertingConfig } from '../config';
import { TransitionSink } from '../events/transition-sink.service';
import { AlertingMetrics } from '../metrics/alerting-metrics';
import { RawReadingsSource } from '../events/raw-readings.source';
import { SSE_HEARTBEAT, sseFrame } from './sse';

export interface LiveOptions {
  readings: boolean;
  alarms: boolean;
  deviceId?: string;
  lastEventId?: string;
}

interface LiveClient {
  res: ServerResponse;
  opts: LiveOptions;
  /** Frames held back while the missed events are replayed. */
  held?: { id: string; frame: string }[];
}

/** A client that does not read is dropped (it reconnects with Last-Event-ID). */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const REPLAY_LIMIT = 1000;
/** Bound on ids waiting for their second arrival (only grows if results or NOTIFYs get lost). */
const OWN_SEEN_LIMIT = 100_000;

@Injectable()
export class LiveHub implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(LiveHub.name);
  private readonly clients = new Set<LiveClient>();
  private listener?: Listener;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    @Inject(ALERTING_CONFIG) private readonly config: AlertingConfig,
    readings: RawReadingsSource,
    private readonly pg: PgConnections,
    sink: TransitionSink,
    private readonly metrics: AlertingMetrics,
  ) {
    if (config.liveReadings) readings.listen((rs) => this.pushReadings(rs));
    sink.onCommitted((payloads) => {
      for (const p of payloads) this.pushOwn(p);
    });
  }

  /**
   * History ids of changes made by this process's hot-path pool that were pushed by one of the
   * two ways they arrive (the statement's result right after commit, or the NOTIFY from
   * PostgreSQL, whichever is first); the second arrival is dropped. Both come only after the
   * commit, so nothing is pushed that is not durable, and a lost result still gets pushed
   * from its NOTIFY.
   */
  private readonly ownSeen = new Set<string>();

  private pushOwn(payload: string): void {
    const id = payload.slice(0, payload.indexOf('|'));
    if (this.ownSeen.delete(id)) return;
    if (this.ownSeen.size >= OWN_SEEN_LIMIT) this.ownSeen.clear();
    this.ownSeen.add(id);
    this.pushAlarm(payload);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  async onModuleInit(): Promise<void> {
    await this.connectListener();
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.res.write(SSE_HEARTBEAT);
    }, 15_000);
    this.heartbeat.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
    await this.listener?.close();
  }

  private async connectListener(): Promise<void> {
    this.listener = await this.pg.listen(
      LIVE_CHANNEL,
      (payload, processId) => {
        if (this.pg.backends.has(processId)) this.pushOwn(payload);
        else this.pushAlarm(payload);
      },
      (e) => this.log.error(`live listener lost: ${e.message}; reconnecting`),
    );
  }

  /** Starts streaming to `res`; replays alarm changes after `opts.lastEventId` first. */
  async attach(res: ServerResponse, opts: LiveOptions): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.write('retry: 2000\n\n');
    const client: LiveClient = { res, opts };
    const replay = opts.alarms && opts.lastEventId !== undefined;
    if (replay) client.held = [];
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    if (!replay) return;
    let last = BigInt(opts.lastEventId!);
    try {
      for (const [id, event] of await this.missed(opts.lastEventId!, opts.deviceId)) {
        res.write(sseFrame('alarm', event, id));
        last = BigInt(id);
      }
    } catch (e) {
      this.log.error(`replay failed: ${(e as Error).message}`);
    }
    for (const h of client.held ?? []) if (BigInt(h.id) > last) res.write(h.frame);
    client.held = undefined;
  }

  /** Alarm changes after `afterId`, oldest first, as `[id, event JSON]`. */
  private async missed(afterId: string, deviceId?: string): Promise<[string, string][]> {
    const rows = await this.pg.rows<{ id: string; event: string }>(
      `SELECT h.id::text AS id, json_build_object(
                'id', h.id::text, 'change', h.change, 'from', h.from_state, 'to', h.to_state,
                'at', ${isoSql('h.at')}, 'actor', h.actor, 'note', h.note,
                'eventTs', (extract(epoch FROM h.event_ts) * 1000)::int8, 'value', h.value,
                'alarm', ${alarmJsonSql('a')})::text AS event
         FROM alarm_history h JOIN alarms a ON a.id = h.alarm_id
        WHERE h.id > $1 AND ($2::text IS NULL OR a.device_id = $2)
        ORDER BY h.id LIMIT ${REPLAY_LIMIT}`,
      [afterId, deviceId ?? null],
    );
    return rows.map((r) => [r.id, r.event]);
  }

  /** `payload` is `<historyId>|<deviceId>|<event JSON>` (see live-channel.ts). */
  private pushAlarm(payload: string): void {
    if (this.clients.size === 0) return;
    const a = payload.indexOf('|');
    const b = payload.indexOf('|', a + 1);
    if (a < 0 || b < 0) return;
    const id = payload.slice(0, a);
    const deviceId = payload.slice(a + 1, b);
    const frame = sseFrame('alarm', payload.slice(b + 1), id);
    for (const c of this.clients) {
      if (!c.opts.alarms) continue;
      if (c.opts.deviceId && c.opts.deviceId !== deviceId) continue;
      if (c.held) c.held.push({ id, frame });
      else this.write(c, frame);
    }
    // The change's own `at` (its commit), read without parsing the whole event.
    const at = /"at"\s*:\s*"([^"]+)"/.exec(payload)?.[1];
    if (at) this.metrics.alarmToPush.observe(Math.max(0, Date.now() - Date.parse(at)) / 1000);
  }

  private pushReadings(
    readings: { deviceId: string; sensor: string; value: number; ts: number; seq?: number }[],
  ): void {
    if (this.clients.size === 0) return;
    for (const c of this.clients) {
      if (!c.opts.readings) continue;
      let out = '';
      for (const r of readings) {
        if (c.opts.deviceId && c.opts.deviceId !== r.deviceId) continue;
        out += sseFrame('reading', JSON.stringify(r));
      }
      if (out) this.write(c, out);
    }
  }

  private write(c: LiveClient, frame: string): void {
    c.res.write(frame);
    if (c.res.writableLength > MAX_BUFFERED_BYTES) {
      this.log.warn('dropping a live client that does not keep up');
      c.res.destroy();
      this.clients.delete(c);
    }
  }
}
