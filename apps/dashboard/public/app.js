/* global window, document, location, requestAnimationFrame, setInterval, setTimeout, URL, URLSearchParams */
/**
 * The dashboard's wiring: config, device list, charts of the selected device, alarm feed
 * and the live push, with a backfill from /readings after every reconnect.
 */
import {
  loadAlarms,
  loadConfig,
  loadDevices,
  loadHistory,
  readingsSince,
  alarmAction,
} from './api.js';
import { AlarmFeedView } from './alarm-feed-view.js';
import { AlarmStore } from './alarm-store.js';
import { ChartsView } from './charts-view.js';
import { DeviceListView } from './device-list-view.js';
import { deviceRows } from './devices.js';
import { byId } from './dom.js';
import { severityInfo } from './format.js';
import { LiveConnection } from './live.js';
import { LiveStore } from './live-store.js';
import { clampWindow } from './series-window.js';
import { canOperate, keepSession, showUser, signedIn } from './session.js';

/** @typedef {import('./devices.js').ApiDevice} ApiDevice */

/** History before the live readings: the last 15 minutes, thinned by the api to one window. */
const HISTORY_SPAN_MS = 15 * 60 * 1000;
/** A backfill never reaches further back than this (older gaps have slid out anyway). */
const MAX_BACKFILL_MS = 15 * 60 * 1000;
/** The api commits a reading a few ms after the broker has it; a second pass catches those. */
const SECOND_BACKFILL_MS = 2_000;
const DEVICES_REFRESH_MS = 15_000;
const DEFAULT_SENSORS = ['air_quality', 'humidity', 'light', 'temperature'];

async function main() {
  const me = await signedIn();
  showUser(byId('user'), me);
  const config = await loadConfig();
  const params = new URLSearchParams(location.search);
  const windowSize = clampWindow(params.get('window') ?? config.window);
  const store = new LiveStore({ windowSize });
  const alarms = new AlarmStore();
  /** @type {ApiDevice[]} */
  let apiDevices = [];
  /** @type {string | null} */
  let selected = params.get('device');
  let devicesLoaded = false;
  const stats = { backfills: 0, backfilledReadings: 0, historyLoads: 0 };

  const windowInput = /** @type {HTMLInputElement} */ (byId('window-size'));
  windowInput.value = String(windowSize);
  windowInput.addEventListener('change', () => {
    const n = clampWindow(windowInput.value);
    windowInput.value = String(n);
    store.resize(n);
    const url = new URL(location.href);
    url.searchParams.set('window', String(n));
    window.history.replaceState(null, '', url);
    schedule();
  });

  const notice = byId('notice');
  /** @param {string} text */
  const say = (text) => {
    notice.textContent = text;
  };

  const charts = new ChartsView(byId('charts'), store, () => config.ruleSet);
  const feed = new AlarmFeedView(
    {
      list: byId('alarm-list'),
      filters: /** @type {HTMLFormElement} */ (byId('alarm-filters')),
      counts: byId('alarm-counts'),
    },
    alarms,
    // What the role may not do is not offered (the server refuses it anyway).
    canOperate(me) ? act : undefined,
  );
  /** @param {string} id @param {'ack' | 'clear'} action */
  async function act(id, action) {
    try {
      alarms.apply(await alarmAction(id, action));
      say(`Alarm ${id} ${action === 'ack' ? 'acknowledged' : 'cleared'}.`);
    } catch (e) {
      say(
        `Could not ${action === 'ack' ? 'acknowledge' : 'clear'} alarm ${id}: ${/** @type {Error} */ (e).message}`,
      );
    }
  }
  const devices = new DeviceListView(
    byId('device-list'),
    /** @type {HTMLInputElement} */ (byId('device-search')),
    (id) => select(id),
  );

  /** Everything is redrawn at most once per frame, whatever the rate of readings. */
  let frame = false;
  let devicesDirty = true;
  let alarmsVersion = -1;
  function schedule() {
    if (frame) return;
    frame = true;
    requestAnimationFrame(() => {
      frame = false;
      const now = Date.now();
      if (devicesDirty) {
        devicesDirty = false;
        devices.update(rows(now), selected, now);
      }
      if (selected) charts.ensure(sensorsOf(selected));
      charts.update();
      if (alarms.version !== alarmsVersion) {
        alarmsVersion = alarms.version;
        feed.selectedDevice = selected;
        feed.render(now);
      }
    });
  }

  /** @param {number} now */
  function rows(now) {
    /** @type {Map<string, string[]>} */
    const live = new Map();
    for (const id of store.lastSeen.keys()) live.set(id, store.sensorsOf(id));
    return deviceRows(apiDevices, store.lastSeen, live, now);
  }

  /** @param {string} id */
  function sensorsOf(id) {
    const api = apiDevices.find((d) => d.id === id)?.sensors ?? [];
    const seen = store.sensorsOf(id);
    const all = [...new Set([...api, ...seen])];
    return all.length > 0 ? all : DEFAULT_SENSORS;
  }

  /** @param {string | null} id */
  function select(id) {
    if (id === selected && charts.deviceId === id) return;
    selected = id;
    const url = new URL(location.href);
    if (id) url.searchParams.set('device', id);
    else url.searchParams.delete('device');
    window.history.replaceState(null, '', url);
    byId('device-title').textContent = id ?? 'No device selected';
    charts.show(id);
    devicesDirty = true;
    alarmsVersion = -1;
    schedule();
    if (id) void loadDeviceHistory(id);
  }

  /** History buckets from /readings/aggregate, thinned by the api to one window. @param {string} id */
  async function loadDeviceHistory(id) {
    const to = Date.now();
    await Promise.all(
      sensorsOf(id).map(async (sensor) => {
        try {
          const points = await loadHistory(config.apiBase, {
            deviceId: id,
            sensor,
            from: to - HISTORY_SPAN_MS,
            to,
            maxPoints: store.windowSize,
          });
          store.window(id, sensor).setHistory(points);
        } catch (e) {
          say(`History of ${id} ${sensor} unavailable: ${/** @type {Error} */ (e).message}`);
        }
      }),
    );
    stats.historyLoads++;
    schedule();
  }

  async function refreshDevices() {
    try {
      apiDevices = await loadDevices(config.apiBase);
    } catch (e) {
      say(`Device list unavailable: ${/** @type {Error} */ (e).message}`);
    }
    devicesLoaded = true;
    devicesDirty = true;
    if (!selected) {
      const first = rows(Date.now())[0];
      if (first) select(first.id);
    }
    schedule();
  }

  async function refreshAlarms() {
    try {
      for (const a of await loadAlarms()) alarms.upsert(a);
    } catch (e) {
      say(`Alarms unavailable: ${/** @type {Error} */ (e).message}`);
    }
    schedule();
  }

  /** Reads what was stored since the newest reading each series had before the drop. */
  async function backfill() {
    const from = store.backfillFrom(Date.now(), MAX_BACKFILL_MS);
    if (from === null) return;
    let added = 0;
    try {
      for await (const page of readingsSince(config.apiBase, from)) {
        for (const r of page) if (store.ingest(r)) added++;
      }
    } catch (e) {
      say(`Backfill failed: ${/** @type {Error} */ (e).message}`);
      return;
    }
    stats.backfills++;
    stats.backfilledReadings += added;
    devicesDirty = true;
    schedule();
  }

  const conn = byId('connection');
  const live = new LiveConnection({
    url: '/live',
    lastEventId: () => alarms.lastEventId,
    onReading: (r) => {
      const known = store.lastSeen.has(r.deviceId);
      if (!store.ingest(r)) return;
      if (!known) {
        devicesDirty = true;
        // Before the device list has loaded, wait for it: it picks the first device by id.
        if (!selected && devicesLoaded) select(rows(Date.now())[0]?.id ?? r.deviceId);
      }
      if (r.deviceId === selected) schedule();
    },
    onAlarm: (e) => {
      if (!alarms.apply(e)) return;
      // The list is redrawn often; new alarms are announced once, in the status line.
      if (e.change === 'raised' || e.change === 'escalated') {
        const a = e.alarm;
        say(
          `${severityInfo(a.severity).label} alarm on ${a.deviceId} ${a.sensor}: ${a.message || a.ruleId}`,
        );
      }
      schedule();
    },
    onState: (state, d) => {
      conn.dataset.state = state;
      // A stream refused again and again may be an expired access token: renew it if so.
      if (state === 'reconnecting' && d.attempt >= 2) void keepSession().catch(() => undefined);
      const icon = byId('connection-icon');
      const text = byId('connection-text');
      if (state === 'live') {
        icon.textContent = '●';
        text.textContent = 'Live';
      } else if (state === 'connecting') {
        icon.textContent = '…';
        text.textContent = 'Connecting';
      } else {
        icon.textContent = '↻';
        text.textContent =
          d.retryInMs > 0
            ? `Reconnecting in ${Math.ceil(d.retryInMs / 1000)} s (attempt ${d.attempt})`
            : 'Reconnecting';
      }
    },
    onReconnected: () => {
      void backfill().then(() => setTimeout(() => void backfill(), SECOND_BACKFILL_MS));
      void refreshAlarms();
    },
  });

  // For operators' debugging and the browser e2e test: read-only views and the drop hook.
  Object.assign(window, {
    __dashboard: {
      store,
      alarms,
      live,
      stats,
      /** @param {string} sensor */
      chartTimestamps: (sensor) => charts.chart(sensor)?.timestamps() ?? [],
      /** @param {string} deviceId @param {string} sensor */
      rawPoints: (deviceId, sensor) => store.window(deviceId, sensor).points.map((p) => ({ ...p })),
    },
  });

  live.start();
  await Promise.all([refreshDevices(), refreshAlarms()]);
  if (selected && charts.deviceId !== selected) select(selected);
  setInterval(() => void refreshDevices(), DEVICES_REFRESH_MS);
  // "seen 3 s ago" ages even without new readings.
  setInterval(() => {
    devicesDirty = true;
    alarmsVersion = -1;
    schedule();
  }, 1_000);
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  byId('notice').textContent = `The dashboard could not start: ${/** @type {Error} */ (e).message}`;
});
