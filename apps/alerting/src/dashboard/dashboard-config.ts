/** Settings of the dashboard the alerting app serves at /dashboard/, validated at start-up. */
import { ConfigError, EnvReader } from '@iotmon/config';

export interface DashboardConfig {
  /** Where the api answers; the dashboard's device and reading requests are proxied there. */
  apiUrl: string;
  /** Where the advisor answers; the Advisor page's calls are proxied there. */
  advisorUrl: string;
  /** Points per chart unless the page's URL says otherwise (?window=). */
  window: number;
  /** Directory with index.html and the page's modules. */
  publicDir: string | undefined;
}

export const DASHBOARD_CONFIG = Symbol('DASHBOARD_CONFIG');

export function loadDashboardConfig(env: NodeJS.ProcessEnv = process.env): DashboardConfig {
  const read = new EnvReader(env);
  // npm start passes API_PORT to every process, so the default follows a moved api.
  const apiPort = read.int('API_PORT', 3000, 1, 65535);
  const apiUrl = read
    .string('DASHBOARD_API_URL', `http://127.0.0.1:${apiPort}`)
    .replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new ConfigError('DASHBOARD_API_URL', `must be an http(s) URL, got "${apiUrl}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError('DASHBOARD_API_URL', `must be an http(s) URL, got "${apiUrl}"`);
  }
  const advisorPort = read.int('ADVISOR_PORT', 3004, 1, 65535);
  const advisorUrl = read
    .string('DASHBOARD_ADVISOR_URL', `http://127.0.0.1:${advisorPort}`)
    .replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(advisorUrl))
    throw new ConfigError('DASHBOARD_ADVISOR_URL', `must be an http(s) URL, got "${advisorUrl}"`);
  return {
    apiUrl,
    advisorUrl,
    window: read.int('DASHBOARD_WINDOW', 50, 2, 2000),
    publicDir: read.optional('DASHBOARD_DIR'),
  };
}
