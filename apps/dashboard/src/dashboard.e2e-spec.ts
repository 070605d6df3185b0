/**
 * The dashboard in headless Chromium against the whole running system (issue 7):
 * it loads, charts the edge's readings, shows a forced violation as an alarm within 2 s,
 * acknowledges it by keyboard (page and GET /alerts agree), and after the push connection
 * drops and returns its chart holds exactly the readings the api stored, once each.
 * The Advisor page (issue 16) shows a real flapping sensor's finding with its evidence chart
 * and answers a question about it. Issue 13: the page signs in (an operator acknowledges, and
 * the audit log says it was that operator, from where); a viewer is offered no acknowledge
 * control; the page runs under its Content-Security-Policy with no violation.
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
/** Content-Security-Policy violations any page reported (the page must work under it). */
const cspViolations: string[] = [];
const PASSWORD = 'e2e-password-0123456789';

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

/** Reads with the admin key (the api and alerting open no reads to anonymous callers). */
async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { 'x-api-key': stack.adminKey } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A user of `role` made by the admin key (POST /users), as an admin would. */
async function createUser(username: string, role: 'viewer' | 'operator'): Promise<void> {
  const res = await fetch(`${stack.alertingUrl}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': stack.adminKey },
    body: JSON.stringify({ username, password: PASSWORD, role }),
  });
  expect(res.status).toBe(201);
}

function watch(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
}

/** Opens the page; with `as`, signs in through its form first (no session yet). */
async function openDashboard(
  query: string,
  as?: { username: string; context?: Browser },
): Promise<Page> {
  const page = await (as?.context ?? browser).context.newPage();
  const errors: string[] = [];
  watch(page, errors);
  await page.goto(`${stack.alertingUrl}/dashboard/?${query}`);
  if (as) {
    await page.waitForSelector('form#sign-in', { timeout: 30_000 });
    await page.fill('#username', as.username);
    await page.fill('#password', PASSWORD);
    await page.click('#sign-in-button');
  }
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

test('signs in as an operator, charts the edge, shows a forced violation within 2 s and acknowledges it; the audit log says who', async () => {
  await createUser('olga', 'operator');
  // A wrong password is refused with the server's message, and the form stays.
  const tried = await browser.context.newPage();
  await tried.goto(`${stack.alertingUrl}/dashboard/`);
  await tried.fill('#username', 'olga');
  await tried.fill('#password', 'not-her-password');
  await tried.click('#sign-in-button');
  await tried.waitForSelector('#sign-in-error:has-text("wrong user name or password")');
  await tried.close();
  const page = await openDashboard(`device=${DEVICE}`, { username: 'olga' });
  expect(await page.locator('#acting-as').innerText()).toBe('olga');
  expect(await page.locator('#acting-as').getAttribute('data-role')).toBe('operator');
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
  expect(listed.items[0]).toMatchObject({ id, state: 'acknowledged', acknowledgedBy: 'olga' });
  // The audit log (admins only): olga acknowledged this alarm, when and from where.
  const audit = await getJson<{
    items: {
      actor: string;
      role: string;
      target: string;
      at: string;
      ip: string;
      outcome: string;
    }[];
  }>(`${stack.alertingUrl}/audit?action=alarm.acknowledge&target=${id}`);
  expect(audit.items).toHaveLength(1);
  expect(audit.items[0]).toMatchObject({
    actor: 'olga',
    role: 'operator',
    target: id,
    outcome: 'ok',
  });
  expect(audit.items[0].ip).toMatch(/127\.0\.0\.1/);
  expect(Date.now() - Date.parse(audit.items[0].at)).toBeLessThan(60_000);
  // GET /audit is the admin's: olga's own session is refused it.
  expect(await page.evaluate(async () => (await fetch('/audit')).status)).toBe(403);

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

test('the Advisor page shows a flapping sensor with its evidence and answers a question', async () => {
  // A real fault: a sensor hovering around a plain threshold, evaluated by the server.
  const device = 'e2e-flappy';
  const headers = { 'content-type': 'application/json', 'x-api-key': stack.adminKey };
  const created = await fetch(`${stack.alertingUrl}/rule-sets`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'e2e-flappy',
      ruleSet: {
        version: 1,
        rules: [
          {
            id: 'flap-temp',
            sensor: 'temperature',
            severity: 'warning',
            kind: 'threshold',
            op: '>',
            value: 30,
          },
        ],
      },
    }),
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const assigned = await fetch(`${stack.alertingUrl}/rule-sets/${id}/assignments`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ devices: [device] }),
  });
  expect(assigned.ok).toBe(true);
  // The device signs in to the broker with its own key, as every device does.
  const registered = await fetch(`${stack.apiUrl}/devices`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: device, name: 'flapping e2e sensor' }),
  });
  expect(registered.status).toBe(201);
  const { apiKey } = (await registered.json()) as { apiKey: string };
  const sensor = await connectAsync(stack.mqttUrl, {
    clientId: `${device}-${process.pid}`,
    username: device,
    password: apiKey,
  });
  let seq = 0;
  const flapping = setInterval(() => {
    const value = seq % 2 === 0 ? 30.4 : 29.6;
    void sensor.publishAsync(
      `env/${device}/temperature/raw`,
      JSON.stringify({ value, ts: Date.now(), seq: seq++ }),
      { qos: 1 },
    );
  }, 500);
  try {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    watch(page, errors);
    await page.goto(`${stack.alertingUrl}/dashboard/`);
    await page.click('nav.pages a[href="/dashboard/advisor.html"]');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    const finding = page.locator(
      `li.finding[data-finding="flapping-rule:${device}/temperature/flap-temp"]`,
    );
    await finding.waitFor({ timeout: 90_000 });
    expect(await finding.getAttribute('data-severity')).toBe('warning');
    expect(await finding.locator('h3').innerText()).toMatch(/Warning: Rule flap-temp flaps/);
    // The evidence: alarm_history rows, and the replayed readings as a chart.
    expect(await finding.locator('.evidence table').count()).toBeGreaterThanOrEqual(1);
    // The readings arrive with the rule's threshold (the rules template is read every 10 s).
    await finding.locator('.evidence-chart canvas').first().waitFor({ timeout: 60_000 });
    expect(await finding.locator('.suggestion').innerText()).toMatch(/hysteresis|debounce/);

    // Signed in as olga (an operator, the session from the first test): she may ask.
    expect(await page.locator('#acting-as').innerText()).toBe('olga');
    await page.fill('#question', `Why does ${device} keep raising alarms?`);
    await page.click('#ask-button');
    await page.waitForSelector('#answer[data-source="detectors"]', { timeout: 30_000 });
    const answer = await page.locator('#answer').innerText();
    expect(answer).toMatch(/^Detectors only \(no LLM endpoint configured\)/);
    expect(answer).toContain(`flapping-rule:${device}/temperature/flap-temp`);
    await page.waitForSelector('#history-list li[data-kind="answer"]', { timeout: 10_000 });
    expect(errors).toEqual([]);
    await page.close();
  } finally {
    clearInterval(flapping);
    await sensor.endAsync();
  }
});

test('a viewer sees the alarms but is offered no acknowledge or clear control', async () => {
  await createUser('vera', 'viewer');
  const ruleId = `e2e_viewer_${Date.now()}`;
  const event = {
    deviceId: DEVICE,
    sensor: SENSOR,
    ruleId,
    state: 'raised',
    severity: 'warning',
    value: 36,
    ts: Date.now(),
    message: 'an active alarm a viewer may only look at',
  };
  await mqtt.publishAsync(`env/${DEVICE}/event/${SENSOR}`, JSON.stringify(event), { qos: 1 });
  // A browser of her own: no session of olga's.
  const own = await launchBrowser();
  try {
    const page = await openDashboard(`device=${DEVICE}`, { username: 'vera', context: own });
    expect(await page.locator('#acting-as').innerText()).toBe('vera');
    const entry = page.locator('li.alarm', { hasText: ruleId });
    await entry.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await entry.getAttribute('data-state')).toBe('active');
    expect(await page.locator('button[data-action="ack"]').count()).toBe(0);
    expect(await page.locator('button[data-action="clear"]').count()).toBe(0);
    // And the server refuses her anyway (the page only hides what the role may not do).
    const status = await page.evaluate(
      async (alarmId) => {
        const r = await fetch(`/alerts/${alarmId}/ack`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-requested-with': 'test' },
          body: '{}',
        });
        return r.status;
      },
      (await entry.getAttribute('data-alarm-id'))!,
    );
    expect(status).toBe(403);
    // The Advisor page offers her no question form (asking is an operator's).
    await page.click('nav.pages a[href="/dashboard/advisor.html"]');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await page.locator('#acting-as').innerText()).toBe('vera');
    expect(await page.locator('#ask-form').count()).toBe(0);
    await page.close();
  } finally {
    await own.close();
  }
  expect(cspViolations).toEqual([]);
});
