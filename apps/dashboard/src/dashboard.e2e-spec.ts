/**
 * The dashboard in headless Chromium against the whole running system (issue 7):
 * it loads, charts the edge's readings, shows a forced violation as an alarm within 2 s,
 * acknowledges it by keyboard (page and GET /alerts agree), and after the push connection
 * drops and returns its chart holds exactly the readings the api stored, once each.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './e2e/browser';
import { startStack, WORKSPACE, type Stack } from './e2e/stack';

interface RawPoint {
  ts: number;
  seq: number | null;
  value: number;
}
interface StoredReading {
  deviceId: string;
  sensor: string;
  ts: number;
  seq?: number;
}
interface Dash {
  __dashboard: {
    rawPoints(deviceId: string, sensor: string): RawPoint[];
    chartTimestamps(sensor: string): number[];
    live: { reconnects: number; drop(): void };
    stats: { backfills: number; backfilledReadings: number };
  };
}

const DEVICE = 'edge-1';
const SENSOR = 'temperature';

let stack: Stack;
let browser: Browser;
let mqtt: MqttClient;

beforeAll(async () => {
  stack = await startStack();
  browser = await launchBrowser();
  mqtt = await connectAsync(stack.mqttUrl, {
    clientId: `dashboard-e2e-${process.pid}`,
    ...stack.deviceLogin(DEVICE),
  });
}, 200_000);

afterAll(async () => {
  await mqtt?.endAsync();
  await browser?.close();
  await stack?.stop();
}, 90_000);

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function openDashboard(query: string): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${stack.alertingUrl}/dashboard/?${query}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  expect(errors).toEqual([]);
  return page;
}

/** Waits until the page's window for DEVICE/SENSOR holds at least n raw readings. */
async function waitForRawPoints(page: Page, n: number): Promise<void> {
  await page.waitForFunction(
    ([d, s, min]) =>
      (window as unknown as Dash).__dashboard.rawPoints(d as string, s as string).length >=
      (min as number),
    [DEVICE, SENSOR, n],
    { timeout: 60_000 },
  );
}

const rawPoints = (page: Page) =>
  page.evaluate(([d, s]) => (window as unknown as Dash).__dashboard.rawPoints(d, s), [
    DEVICE,
    SENSOR,
  ] as const);

/** The window's raw readings and the chart's x values, read in the same task. */
const snapshot = (page: Page) =>
  page.evaluate(
    ([d, s]) => {
      const dash = (window as unknown as Dash).__dashboard;
      return { points: dash.rawPoints(d, s), chart: dash.chartTimestamps(s) };
    },
    [DEVICE, SENSOR] as const,
  );

/** Waits for an element matching `selector` (a condition, not a timed assertion). */
async function waitFor(page: Page, selector: string, timeout = 30_000): Promise<void> {
  await page.waitForSelector(selector, { state: 'attached', timeout });
}

async function pollUntil<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('loads, charts the edge, shows a forced violation within 2 s and acknowledges it', async () => {
  const page = await openDashboard(`device=${DEVICE}`);
  await waitFor(page, '#connection[data-state="live"]');
  await waitFor(page, `button[data-device="${DEVICE}"]`);

  // A chart receives points from the edge: raw readings in the window and on the canvas.
  await waitForRawPoints(page, 5);
  await page.waitForFunction(
    (s) => (window as unknown as Dash).__dashboard.chartTimestamps(s).length >= 5,
    SENSOR,
  );
  const { points, chart } = await snapshot(page);
  const drawnUpTo = Math.max(...chart);
  const drawable = points.filter((p) => p.ts <= drawnUpTo);
  expect(drawable.length).toBeGreaterThanOrEqual(3);
  for (const p of drawable) expect(chart).toContain(p.ts);
  expect(await page.locator(`.chart-card[data-sensor="${SENSOR}"] canvas`).count()).toBe(1);

  // A forced violation: the edge's verdict for 35 °C (> 30 °C) on its event topic.
  const ruleId = `e2e_hot_${Date.now()}`;
  const event = {
    deviceId: DEVICE,
    sensor: SENSOR,
    ruleId,
    state: 'raised',
    severity: 'critical',
    value: 35,
    ts: Date.now(),
    message: 'temperature 35 °C above 30 °C (forced by the e2e test)',
  };
  const published = Date.now();
  await mqtt.publishAsync(`env/${DEVICE}/event/${SENSOR}`, JSON.stringify(event), { qos: 1 });
  const entry = page.locator('li.alarm', { hasText: ruleId });
  await entry.waitFor({ state: 'visible', timeout: 2_000 });
  expect(Date.now() - published).toBeLessThan(2_000);
  expect(await entry.getAttribute('data-state')).toBe('active');
  // Severity is told by text and icon as well as colour.
  expect(await entry.locator('.severity').innerText()).toMatch(/Critical/);
  const id = await entry.getAttribute('data-alarm-id');
  expect(id).toMatch(/^\d+$/);

  // Acknowledge with the keyboard: focus the button, press Enter.
  await entry.locator('button[data-action="ack"]').focus();
  await page.keyboard.press('Enter');
  await waitFor(page, `li.alarm[data-alarm-id="${id}"][data-state="acknowledged"]`, 10_000);
  expect(
    await page.locator(`li.alarm[data-alarm-id="${id}"] [data-role="state"]`).innerText(),
  ).toMatch(/Acknowledged/);
  const listed = await getJson<{ items: { id: string; state: string; acknowledgedBy: string }[] }>(
    `${stack.alertingUrl}/alerts?deviceId=${DEVICE}&ruleId=${ruleId}`,
  );
  expect(listed.items).toHaveLength(1);
  expect(listed.items[0]).toMatchObject({ id, state: 'acknowledged', acknowledgedBy: 'operator' });

  // A fuller chart for the README's picture, then let the last frame paint.
  await waitForRawPoints(page, 30);
  await page.waitForTimeout(300);
  const artifacts = join(WORKSPACE, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  const shot = join(artifacts, 'dashboard.png');
  await page.screenshot({ path: shot, fullPage: true });
  expect(existsSync(shot)).toBe(true);
  // The README's picture is refreshed on request only, so a test run leaves the tree clean.
  if (process.env['UPDATE_SCREENSHOT'] === '1')
    copyFileSync(shot, join(WORKSPACE, 'docs/dashboard.png'));
  await page.close();
});

test('after the push connection drops and returns, the chart has every stored reading once', async () => {
  // A window long enough to hold the whole outage and what came before it.
  const page = await openDashboard(`device=${DEVICE}&window=1000`);
  await waitForRawPoints(page, 6);
  const before = await page.evaluate(() => {
    const d = (window as unknown as Dash).__dashboard;
    return { reconnects: d.live.reconnects, backfills: d.stats.backfills };
  });

  // Drop the stream and refuse reconnects until the api has stored readings meanwhile.
  await page.route('**/live**', (route) => route.abort('connectionrefused'));
  const droppedAt = Date.now();
  await page.evaluate(() => (window as unknown as Dash).__dashboard.live.drop());
  await waitFor(page, '#connection[data-state="reconnecting"]', 5_000);
  const missedUrl = `${stack.apiUrl}/readings?deviceId=${DEVICE}&sensor=${SENSOR}&from=${new Date(droppedAt).toISOString()}&limit=1000`;
  const missed = await pollUntil(
    () => getJson<StoredReading[]>(missedUrl),
    (rs) => rs.length >= 6,
    30_000,
  );
  const missedWhileDown = missed.map((r) => `${r.ts}/${r.seq ?? ''}`);
  const shownWhileDown = await rawPoints(page);
  expect(shownWhileDown.filter((p) => p.ts > droppedAt + 200)).toEqual([]);

  await page.unroute('**/live**');
  await page.waitForFunction(
    (b) => {
      const d = (window as unknown as Dash).__dashboard;
      // Reconnected, and both backfill passes (at once and after the writer's delay) done.
      return d.live.reconnects > b.reconnects && d.stats.backfills >= b.backfills + 2;
    },
    before,
    { timeout: 60_000 },
  );
  await waitFor(page, '#connection[data-state="live"]', 5_000);
  const backfilled = await page.evaluate(
    () => (window as unknown as Dash).__dashboard.stats.backfilledReadings,
  );
  expect(backfilled).toBeGreaterThan(0);

  // Compare the page with the api over the span the page covers, up to a reading the api has
  // certainly committed (the newest one it returns) and the chart has drawn.
  const { points, chart } = await snapshot(page);
  const keys = points.map((p) => `${p.ts}/${p.seq ?? ''}`);
  expect(new Set(keys).size).toBe(keys.length);
  const first = points[0].ts;
  const stored = await getJson<StoredReading[]>(
    `${stack.apiUrl}/readings?deviceId=${DEVICE}&sensor=${SENSOR}&from=${new Date(first).toISOString()}&limit=1000`,
  );
  const upTo = Math.min(Math.max(...stored.map((r) => r.ts)), Math.max(...chart));
  const storedKeys = stored
    .filter((r) => r.ts <= upTo)
    .map((r) => `${r.ts}/${r.seq ?? ''}`)
    .sort();
  const pageKeys = points
    .filter((p) => p.ts <= upTo)
    .map((p) => `${p.ts}/${p.seq ?? ''}`)
    .sort();
  expect(pageKeys).toEqual(storedKeys);
  for (const k of missedWhileDown.filter((k) => Number(k.split('/')[0]) <= upTo)) {
    expect(pageKeys).toContain(k);
  }

  // And the chart draws each of them exactly once.
  expect(chart.filter((ts) => ts >= first && ts <= upTo)).toEqual(
    points.filter((p) => p.ts <= upTo).map((p) => p.ts),
  );
  await page.close();
});
