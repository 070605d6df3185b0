/**
 * Sensor kinds are data, end to end on the whole running system (tools/start.mjs: embedded
 * PostgreSQL, Aedes, api, alerting, one edge) and headless Chromium: a kind an admin creates
 * over REST is accepted in readings at once (an unknown kind still refused naming the
 * field), the running edge starts simulating it when its config brings the catalogue, the
 * kind's default rule raises an alarm, and the open dashboard draws its chart with its unit.
 * No process is restarted and the page is not reloaded.
 */
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './e2e/browser';
import { startStack, type Stack } from './e2e/stack';

interface Dash {
  __dashboard: { chartTimestamps(sensor: string): number[] };
}

const DEVICE = 'edge-1';
const KIND = {
  id: 'radon',
  displayName: 'Radon',
  unit: 'Bq/m³',
  min: 100,
  max: 400,
  decimals: 1,
  // Always true for the simulated range: the alarm must come from this rule of the kind.
  defaultRules: [{ id: 'radon_high', severity: 'warning', kind: 'threshold', op: '>', value: 50 }],
};

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  stack = await startStack(150_000, {
    // The edge lists a kind nobody has created yet: it waits for it.
    SENSORS: 'temperature:500,humidity:500,radon:300',
    ADVISOR: '0',
  });
  browser = await launchBrowser();
}, 200_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
}, 90_000);

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': stack.adminKey },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
}

async function pollUntil<T>(get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(
        `condition not met in ${timeoutMs} ms: ${JSON.stringify(v)}\n${stack.log.slice(-40).join('\n')}`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a kind created over REST is stored, simulated, evaluated and drawn without a restart', async () => {
  const page: Page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${stack.alertingUrl}/dashboard/?device=${DEVICE}`);
  await page.waitForSelector('form#sign-in', { timeout: 30_000 });
  await page.fill('#username', 'admin');
  await page.fill('#password', stack.adminPassword);
  await page.click('#sign-in-button');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.waitForSelector('.chart-card[data-sensor="temperature"]', { timeout: 30_000 });
  expect(await page.locator('.chart-card[data-sensor="radon"]').count()).toBe(0);

  const before = await api('POST', '/readings', [
    { deviceId: 'kinds-rest', sensor: 'radon', value: 150, ts: Date.now(), seq: 1 },
  ]);
  expect(before).toMatchObject({ status: 400, body: { field: '[0].sensor' } });

  const created = await api('POST', '/sensor-kinds', KIND);
  expect(created).toMatchObject({ status: 201, body: { id: 'radon', unit: 'Bq/m³' } });

  // REST readings of the new kind: accepted at once; an unknown kind is still refused.
  const ok = await api('POST', '/readings', [
    { deviceId: 'kinds-rest', sensor: 'radon', value: 150, ts: Date.now(), seq: 1 },
  ]);
  expect(ok).toMatchObject({ status: 201, body: { accepted: 1, rejected: 0 } });
  const unknown = await api('POST', '/readings', [
    { deviceId: 'kinds-rest', sensor: 'flux', value: 1, ts: Date.now(), seq: 1 },
  ]);
  expect(unknown).toMatchObject({ status: 400, body: { field: '[0].sensor' } });

  // The running edge got the catalogue with its config and simulates the kind in its range.
  const stored = await pollUntil(
    () => api('GET', `/readings?deviceId=${DEVICE}&sensor=radon&limit=100`),
    (r) => r.status === 200 && r.body.length >= 3,
    60_000,
  );
  for (const r of stored.body as unknown as { value: number }[]) {
    expect(r.value).toBeGreaterThanOrEqual(KIND.min);
    expect(r.value).toBeLessThanOrEqual(KIND.max);
  }

  // The kind's default rule, evaluated by the edge, raised an alarm.
  const alarms = await pollUntil(
    async () =>
      (await (
        await fetch(`${stack.alertingUrl}/alerts?deviceId=${DEVICE}`, {
          headers: { 'x-api-key': stack.adminKey },
        })
      ).json()) as {
        items: { sensor: string; ruleId: string; state: string }[];
      },
    (p) => p.items.some((a) => a.ruleId === 'radon_high'),
    60_000,
  );
  expect(alarms.items.find((a) => a.ruleId === 'radon_high')).toMatchObject({
    sensor: 'radon',
    state: 'active',
  });

  // The open page learned the kind from the catalogue and draws it with its name and unit.
  const card = page.locator('.chart-card[data-sensor="radon"]');
  await card.waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForFunction(
    () => (window as unknown as Dash).__dashboard.chartTimestamps('radon').length >= 3,
    undefined,
    { timeout: 30_000 },
  );
  expect(await card.locator('h3').textContent()).toBe('Radon');
  await pollUntil(
    async () => (await card.locator('.latest').textContent()) ?? '',
    (text) => /^\d+\.\d Bq\/m³$/.test(text),
    10_000,
  );
  expect(await card.locator('canvas').count()).toBe(1);
  expect(errors).toEqual([]);
});
