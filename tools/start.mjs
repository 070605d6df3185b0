#!/usr/bin/env node
// `npm start`: the whole system on one machine. Embedded PostgreSQL and an embedded MQTT
// broker (unless DATABASE_URL / MQTT_URL point elsewhere), then api, alerting and edge, each
// its own process, talking only through MQTT and PostgreSQL. A process that dies is started
// again with capped backoff (like a container restart policy) while the rest keep running.
// Ctrl-C stops everything: apps first, then the broker, PostgreSQL last.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { compile, root } from './compile.mjs';

if (process.argv.includes('--help')) {
  console.log(`usage: npm start
Starts PostgreSQL (embedded), an MQTT broker (embedded), api, alerting, one edge node and
the advisor (detectors only unless ADVISOR_LLM_URL is set).
Environment:
  API_PORT=3000  ALERTING_PORT=3001  MQTT_PORT=1883  MQTT_WS_PORT=8083  PG_PORT=5433
  EDGE_HTTP_PORT=3002  ADVISOR_PORT=3004  ADVISOR=0 starts no advisor
  ADVISOR_LLM_URL, ADVISOR_LLM_MODEL, ADVISOR_LLM_API_KEY   an OpenAI-compatible endpoint
  DATA_DIR=.data       where embedded PostgreSQL keeps its data between runs
  DATABASE_URL         use this PostgreSQL instead of the embedded one
  MQTT_URL             use this broker instead of the embedded one (with MQTT_USERNAME and
                       MQTT_PASSWORD for the services; NODE_KEY for the edge node)
  NODE_ID=edge-1       id of the simulated edge node; EDGE=0 starts none
  TLS=1                the embedded broker on TLS only: MQTT over TLS on MQTT_TLS_PORT=8883
                       and WSS on MQTT_WSS_PORT=8084, with a local CA and server certificate
                       made once in DATA_DIR/tls (clients trust DATA_DIR/tls/ca.pem)
  SENSOR_INTERVAL_MS   one sampling period for every edge sensor (default 5-10 s each)
A process that exits is restarted after 1 s, doubling up to 30 s while it keeps failing
(back to 1 s once it ran for a minute).`);
  process.exit(0);
}

const env = process.env;
const num = (name, dflt) => {
  const v = env[name] === undefined || env[name] === '' ? dflt : Number(env[name]);
  if (!Number.isInteger(v) || v < 0 || v > 65535)
    fail(`${name} must be a port number, got "${env[name]}"`);
  return v;
};
const ports = {
  api: num('API_PORT', 3000),
  alerting: num('ALERTING_PORT', 3001),
  mqtt: num('MQTT_PORT', 1883),
  mqttWs: num('MQTT_WS_PORT', 8083),
  pg: num('PG_PORT', 5433),
  edgeHttp: num('EDGE_HTTP_PORT', 3002),
  advisor: num('ADVISOR_PORT', 3004),
  mqttTls: num('MQTT_TLS_PORT', 8883),
  mqttWss: num('MQTT_WSS_PORT', 8084),
};
const tlsOn = /^(1|true|yes|on)$/i.test(env.TLS ?? '');
const dataDir = env.DATA_DIR || '.data';
// Every line the stack prints also goes to this file, which the advisor follows (its log source).
const stackLog = `${dataDir}/stack.log`;
mkdirSync(dataDir, { recursive: true });
writeFileSync(stackLog, '');
const colors = {
  stack: 37,
  postgres: 34,
  broker: 35,
  migrate: 36,
  api: 32,
  alerting: 33,
  edge: 96,
  advisor: 95,
};
const children = new Map();
const restartTimers = new Map();
let shuttingDown = false;
const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A process that ran this long is healthy again: its next restart waits the minimum. */
const STABLE_MS = 60_000;

function say(name, line) {
  const c = colors[name] ?? 37;
  const tag = process.stdout.isTTY ? `\x1b[${c}m[${name}]\x1b[0m` : `[${name}]`;
  process.stdout.write(`${tag} ${line}\n`);
  appendFileSync(stackLog, `[${name}] ${line}\n`);
}
function fail(message) {
  say('stack', `error: ${message}`);
  process.exit(1);
}

/**
 * Spawns a process whose output lines are prefixed; resolves when `readyLine` matches. When it
 * exits while the stack runs it is started again (same arguments) after a backoff.
 */
function run(name, args, extraEnv = {}, readyLine, delayMs = RESTART_MIN_MS) {
  const child = spawn(process.execPath, ['--enable-source-maps', ...args], {
    cwd: root,
    // The apps log JSON lines; on a terminal the stack asks for pino-pretty's readable form.
    env: {
      ...env,
      ...(process.stdout.isTTY ? { LOG_FORMAT: env.LOG_FORMAT || 'pretty' } : { NO_COLOR: '1' }),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.set(name, child);
  const startedAt = Date.now();
  say('stack', `${name} started (pid ${child.pid})`);
  let resolveReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    child.once('exit', (code) =>
      reject(new Error(`${name} exited with code ${code} before it was ready`)),
    );
  });
  ready.catch(() => undefined);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      say(name, line);
      const m = readyLine && line.match(readyLine);
      if (m) resolveReady(m);
    });
  }
  child.on('exit', (code, signal) => {
    if (children.get(name) === child) children.delete(name);
    if (shuttingDown) return;
    const wait = Date.now() - startedAt >= STABLE_MS ? RESTART_MIN_MS : delayMs;
    say(
      'stack',
      `${name} stopped unexpectedly (${signal ?? `code ${code}`}); restarting in ${wait / 1000} s`,
    );
    restartTimers.set(
      name,
      setTimeout(() => {
        restartTimers.delete(name);
        if (!shuttingDown) run(name, args, extraEnv, readyLine, Math.min(wait * 2, RESTART_MAX_MS));
      }, wait),
    );
  });
  if (!readyLine) resolveReady();
  return ready;
}

function stop(name, timeoutMs = 10_000) {
  const child = children.get(name);
  if (!child) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const t of restartTimers.values()) clearTimeout(t);
  say('stack', 'stopping…');
  await Promise.all(['advisor', 'edge', 'api', 'alerting'].map((n) => stop(n)));
  await stop('broker');
  await stop('postgres', 30_000);
  say('stack', 'stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

async function waitHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

const adminKey = env.ADMIN_API_KEY || 'local-dev-admin-key';

/**
 * The HTTP identity's secrets, made once per data directory (kept with its data, never
 * printed): the access-token secret api, alerting and the advisor share, and the first
 * admin's password (DATA_DIR/admin-password, for `cat`). ADMIN_PASSWORD and AUTH_JWT_SECRET
 * override them.
 */
function authSecrets() {
  const file = join(dataDir, 'auth-secret');
  if (!existsSync(file))
    writeFileSync(file, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });
  const passwordFile = join(dataDir, 'admin-password');
  if (!env.ADMIN_PASSWORD && !existsSync(passwordFile))
    writeFileSync(passwordFile, randomBytes(12).toString('base64url') + '\n', { mode: 0o600 });
  return {
    jwtSecret: env.AUTH_JWT_SECRET || readFileSync(file, 'utf8').trim(),
    adminUser: env.ADMIN_USERNAME || 'admin',
    adminPassword: env.ADMIN_PASSWORD || readFileSync(passwordFile, 'utf8').trim(),
    passwordFile: env.ADMIN_PASSWORD ? undefined : passwordFile,
  };
}

/** The services' broker passwords, made once per data directory (kept with its data). */
function servicePasswords() {
  const file = join(dataDir, 'mqtt-services.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const made = Object.fromEntries(
    ['api', 'alerting', 'edge-fleet'].map((r) => [r, randomBytes(18).toString('base64url')]),
  );
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(made, null, 2) + '\n', { mode: 0o600 });
  return made;
}

/** The local CA and the broker's certificate (made once per data directory). */
async function localTls() {
  const dir = join(dataDir, 'tls');
  const files = {
    ca: join(dir, 'ca.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
  };
  if (!existsSync(files.key)) {
    const { createLocalCa } = await import(
      pathToFileURL(join(root, 'dist/libs/messaging/src/local-ca.js')).href
    );
    const made = createLocalCa(['localhost', '127.0.0.1', '::1']);
    mkdirSync(dir, { recursive: true });
    writeFileSync(files.ca, made.caCert);
    writeFileSync(files.cert, made.cert);
    writeFileSync(files.key, made.key, { mode: 0o600 });
    say('stack', `made a local CA and server certificate in ${dir}`);
  }
  return files;
}

/**
 * The edge node's device key: registers the device with the api on first start (the key is
 * shown once, so it is kept in the data directory); issues a new one if the device exists
 * but its key was lost.
 */
async function deviceKey(nodeId) {
  const file = join(dataDir, 'devices', `${nodeId}.key`);
  const api = `http://127.0.0.1:${ports.api}`;
  const headers = { 'content-type': 'application/json', 'x-api-key': adminKey };
  await waitHttp(`${api}/health/live`, 30_000);
  const created = await fetch(`${api}/devices`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ id: nodeId, name: `simulated edge node ${nodeId}` }),
  });
  let key;
  if (created.status === 201) key = (await created.json()).apiKey;
  else if (created.status === 409 && existsSync(file)) return readFileSync(file, 'utf8').trim();
  else if (created.status === 409) {
    const rotated = await fetch(`${api}/devices/${nodeId}/key`, { method: 'POST', headers });
    if (rotated.status !== 201) throw new Error(`rotating the key of ${nodeId}: ${rotated.status}`);
    key = (await rotated.json()).apiKey;
  } else throw new Error(`registering ${nodeId}: ${created.status} ${await created.text()}`);
  mkdirSync(join(dataDir, 'devices'), { recursive: true });
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  say('stack', `registered device ${nodeId}; its key is in ${file}`);
  return key;
}

async function main() {
  say('stack', 'compiling TypeScript (swc)…');
  // A production install has no swc (a devDependency): tools/prod-boot.mjs brings dist/ prebuilt.
  if (env.STACK_PREBUILT !== '1') compile({ quiet: true });

  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    say(
      'stack',
      `starting embedded PostgreSQL on 127.0.0.1:${ports.pg}, data in ${dataDir}/postgres`,
    );
    const m = await run(
      'postgres',
      ['tools/stack/postgres.mjs'],
      { PG_PORT: String(ports.pg), PG_DATA_DIR: `${dataDir}/postgres` },
      /postgres ready (\S+)/,
    );
    databaseUrl = m[1];
  }
  // The advisor logs in as its own least-privilege roles (created by a migration); locally
  // they get fixed passwords unless set, as the api gets a fixed admin key.
  const advisorPasswords = {
    ADVISOR_DB_PASSWORD: env.ADVISOR_DB_PASSWORD || 'local-dev-advisor',
    ADVISOR_HISTORY_DB_PASSWORD: env.ADVISOR_HISTORY_DB_PASSWORD || 'local-dev-advisor-history',
  };
  const asRole = (role, password) => {
    const u = new URL(databaseUrl);
    u.username = role;
    u.password = password;
    return u.toString();
  };
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/libs/persistence/src/migrate.js', 'up'], {
      cwd: root,
      env: { ...env, DATABASE_URL: databaseUrl, ...advisorPasswords },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const s of [child.stdout, child.stderr])
      createInterface({ input: s }).on('line', (l) => say('migrate', l));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error('migrations failed'))));
  });
  // Every MQTT client signs in: the services with passwords generated once per data
  // directory, the edge node as its device with the key the api issued for it.
  let mqttUrl = env.MQTT_URL;
  const logins = {
    api: { MQTT_USERNAME: env.MQTT_USERNAME, MQTT_PASSWORD: env.MQTT_PASSWORD },
    alerting: { MQTT_USERNAME: env.MQTT_USERNAME, MQTT_PASSWORD: env.MQTT_PASSWORD },
  };
  if (!mqttUrl) {
    const passwords = servicePasswords();
    const tls = tlsOn ? await localTls() : undefined;
    await run(
      'broker',
      ['dist/tools/stack/broker.js'],
      {
        DATABASE_URL: databaseUrl,
        MQTT_PORT: String(ports.mqtt),
        MQTT_WS_PORT: String(ports.mqttWs),
        MQTT_PASSWORD_API: passwords.api,
        MQTT_PASSWORD_ALERTING: passwords.alerting,
        MQTT_PASSWORD_EDGE_FLEET: passwords['edge-fleet'],
        ...(tls && {
          MQTT_TLS_CERT_FILE: tls.cert,
          MQTT_TLS_KEY_FILE: tls.key,
          MQTT_TLS_PORT: String(ports.mqttTls),
          MQTT_WSS_PORT: String(ports.mqttWss),
        }),
      },
      /broker ready/,
    );
    mqttUrl = tls ? `mqtts://127.0.0.1:${ports.mqttTls}` : `mqtt://127.0.0.1:${ports.mqtt}`;
    if (tls) env.MQTT_CA_FILE = tls.ca;
    for (const role of ['api', 'alerting'])
      logins[role] = { MQTT_USERNAME: `svc:${role}`, MQTT_PASSWORD: passwords[role] };
  }
  const common = {
    DATABASE_URL: databaseUrl,
    MQTT_URL: mqttUrl,
    ...(env.MQTT_CA_FILE && { MQTT_CA_FILE: env.MQTT_CA_FILE }),
  };
  const secrets = authSecrets();
  // One token secret and one admin key for every HTTP app, so a signed-in user and the key
  // work on each (the dashboard's proxy forwards the user's own token).
  // Request rate limits are off on one machine (load tests drive it from one address with one
  // key); sign-in attempts stay limited. The chart keeps them on.
  const identity = {
    AUTH_JWT_SECRET: secrets.jwtSecret,
    ADMIN_API_KEY: adminKey,
    RATE_LIMIT_PER_IP: env.RATE_LIMIT_PER_IP || '0',
    RATE_LIMIT_PER_IDENTITY: env.RATE_LIMIT_PER_IDENTITY || '0',
  };
  await Promise.all([
    run(
      'api',
      ['dist/apps/api/src/main.js'],
      // A fixed local admin key so the write routes work out of the box; set ADMIN_API_KEY to
      // override. The Gin-compatible routes open, so the original system's k6 scripts run.
      {
        ...common,
        ...logins.api,
        ...identity,
        PORT: String(ports.api),
        ADMIN_USERNAME: secrets.adminUser,
        ADMIN_PASSWORD: secrets.adminPassword,
        GIN_ROUTES_OPEN: env.GIN_ROUTES_OPEN || 'true',
      },
      /api listening/,
    ),
    run(
      'alerting',
      ['dist/apps/alerting/src/main.js'],
      { ...common, ...logins.alerting, ...identity, PORT: String(ports.alerting) },
      /alerting listening/,
    ),
  ]);
  const nodeId = env.NODE_ID || 'edge-1';
  if (env.EDGE !== '0')
    run('edge', ['dist/apps/edge/src/main.js'], {
      ...common,
      MQTT_USERNAME: nodeId,
      MQTT_PASSWORD: env.NODE_KEY || (await deviceKey(nodeId)),
      NODE_ID: nodeId,
      // The outbox lives with the rest of the stack's data unless set explicitly.
      OUTBOX_DIR: env.OUTBOX_DIR || `${dataDir}/outbox/${nodeId}`,
      EDGE_HTTP_PORT: String(ports.edgeHttp),
    });
  if (env.ADVISOR !== '0')
    await run(
      'advisor',
      ['dist/apps/advisor/src/main.js'],
      {
        PORT: String(ports.advisor),
        ADVISOR_DATABASE_URL: asRole('iotmon_advisor', advisorPasswords.ADVISOR_DB_PASSWORD),
        ADVISOR_HISTORY_DATABASE_URL: asRole(
          'iotmon_advisor_history',
          advisorPasswords.ADVISOR_HISTORY_DB_PASSWORD,
        ),
        ADVISOR_SCRAPE_TARGETS: [
          `api=http://127.0.0.1:${ports.api}`,
          `alerting=http://127.0.0.1:${ports.alerting}`,
          // EDGE_HTTP_PORT=0 lets the edge pick a port, which the advisor cannot know.
          ...(env.EDGE !== '0' && ports.edgeHttp !== 0
            ? [`edge=http://127.0.0.1:${ports.edgeHttp}`]
            : []),
        ].join(','),
        ADVISOR_LOG_FILE: env.ADVISOR_LOG_FILE || stackLog,
        ...identity,
      },
      /advisor listening/,
    );
  await waitHttp(`http://127.0.0.1:${ports.api}/health/live`, 30_000);
  say('stack', 'ready:');
  say('stack', `  api          http://localhost:${ports.api}/readings?limit=20`);
  say('stack', `  health       http://localhost:${ports.api}/health`);
  say(
    'stack',
    `  api docs     http://localhost:${ports.api}/docs  (admin key: x-api-key ${env.ADMIN_API_KEY ? '<ADMIN_API_KEY>' : 'local-dev-admin-key'})`,
  );
  say(
    'stack',
    `  dashboard    http://localhost:${ports.alerting}/dashboard/  (sign in as ${secrets.adminUser}, password ${secrets.passwordFile ? `in ${secrets.passwordFile}` : 'ADMIN_PASSWORD'})`,
  );
  say('stack', `  alerting     http://localhost:${ports.alerting}/health`);
  if (env.ADVISOR !== '0')
    say(
      'stack',
      `  advisor      http://localhost:${ports.advisor}/advice  (page: /dashboard/advisor.html)`,
    );
  say(
    'stack',
    `  mqtt         ${mqttUrl}${env.MQTT_URL ? '' : tlsOn ? `  (secure WebSocket wss://localhost:${ports.mqttWss}; CA ${env.MQTT_CA_FILE})` : `  (WebSocket ws://localhost:${ports.mqttWs})`}`,
  );
  if (!env.MQTT_URL && env.EDGE !== '0')
    say(
      'stack',
      `  publish as   mosquitto_pub ${tlsOn ? `-p ${ports.mqttTls} --cafile ${env.MQTT_CA_FILE}` : `-p ${ports.mqtt}`} -u ${nodeId} -P "$(cat ${join(dataDir, 'devices', `${nodeId}.key`)})" -t env/${nodeId}/temperature/raw -m '{"value":21.5,"ts":'$(date +%s%3N)'}'`,
    );
  say('stack', `  postgres     ${databaseUrl.replace(/:[^:@/]*@/, ':***@')}`);
  say('stack', 'Ctrl-C stops everything.');
}

main().catch((e) => {
  say('stack', `error: ${e.message}`);
  void shutdown(1);
});
