/**
 * Acceptance (limits and audit): every operator and admin action of alerting lands in the
 * audit log with who, when, what and from where, filterable over GET /audit; sign-in failures
 * too, and repeated wrong passwords lock the account (429 with Retry-After) until the lockout
 * ends; rate limits per identity and per IP answer 429 with Retry-After.
 */
import type { ConstraintEvent } from '@iotmon/domain';
import type { RegistryBroker } from '@iotmon/messaging';
import { TokensService, UsersService, type AuditEntry, type Role } from '@iotmon/server-kit';
import { createTestDatabase, waitFor, type TestDatabase } from '@iotmon/testing';
import type { AlarmPage } from '../alarms/alarm-queries.service';
import { startAlertingInstance, type AlertingInstance } from '../test-support/alerting-instance';
import {
  startEdgePublisher,
  startTestBroker,
  type EdgePublisher,
} from '../test-support/edge-publisher';

const json = { 'content-type': 'application/json' };

describe('audit log and sign-in lockout', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let app: AlertingInstance;
  let edge: EdgePublisher;

  const call = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : json) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: res.status,
      headers: res.headers,
      // The expectations below check the shape; a type per answer would only repeat them.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      body: (await res.json().catch(() => null)) as any,
    };
  };
  const audit = async (query: string) =>
    (await call('GET', `/audit?${query}`, app.admin)).body.items as AuditEntry[];
  const login = (username: string, password: string) =>
    call('POST', '/auth/login', {}, { username, password });

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startTestBroker(db.url);
    app = await startAlertingInstance({
      DATABASE_URL: db.url,
      ...broker.env('alerting'),
      AUTH_LOCKOUT_ATTEMPTS: '3',
      AUTH_LOCKOUT_SECONDS: '2',
    });
    edge = await startEdgePublisher(broker, `edge-audit-${process.pid}`);
  });

  afterAll(async () => {
    await edge?.close();
    await app?.close();
    await broker?.close();
    await db?.drop();
  });

  it('records each alarm, rule-set and webhook action with who, when, what and from where', async () => {
    const alice = await app.signIn('alice', 'operator');
    const boss = await app.signIn('boss', 'admin');
    const viewer = await app.signIn('vic', 'viewer');
    const started = Date.now();
    const ids: string[] = [];
    for (const deviceId of ['aud-1', 'aud-2']) {
      const e: ConstraintEvent = {
        deviceId,
        sensor: 'humidity',
        ruleId: 'humidity_high',
        state: 'raised',
        severity: 'warning',
        value: 95,
        ts: Date.now(),
        message: 'humid',
      };
      await edge.event(e);
      const page = await waitFor(async () => {
        const p = (await call('GET', `/alerts?deviceId=${deviceId}`, viewer)).body as AlarmPage;
        return p.items[0];
      });
      ids.push(page.id);
    }
    expect((await call('POST', `/alerts/${ids[0]}/ack`, viewer, {})).status).toBe(403);
    expect((await call('POST', `/alerts/${ids[0]}/ack`, alice, { note: 'on it' })).status).toBe(
      200,
    );
    expect((await call('POST', `/alerts/${ids[0]}/clear`, alice, {})).status).toBe(200);
    expect((await call('POST', `/alerts/${ids[1]}/shelve`, alice, { minutes: 30 })).status).toBe(
      200,
    );
    expect((await call('POST', `/alerts/${ids[1]}/ack`, alice, {})).status).toBe(200);
    // a failed action is recorded as failed: the alarm is cleared already
    expect((await call('POST', `/alerts/${ids[0]}/ack`, alice, {})).status).toBe(409);

    const ruleSet = {
      version: 1,
      rules: [
        {
          id: 'hot',
          sensor: 'temperature',
          kind: 'threshold',
          op: '>',
          value: 40,
          severity: 'critical',
        },
      ],
    };
    const created = await call('POST', '/rule-sets', boss, { name: 'audit-set', ruleSet });
    expect([created.status, created.body]).toEqual([201, expect.anything()]);
    const setId = created.body.id as string;
    expect((await call('PUT', `/rule-sets/${setId}`, boss, { ruleSet })).status).toBe(200);
    expect(
      (await call('PUT', `/rule-sets/${setId}/assignments`, boss, { devices: ['aud-9'] })).status,
    ).toBe(200);
    const hook = await call('POST', '/webhooks', app.admin, {
      url: 'https://93.184.215.14/hook',
      deviceIds: ['none'],
    });
    expect(hook.status).toBe(201);
    expect((await call('DELETE', `/webhooks/${hook.body.id}`, boss)).status).toBe(204);

    const entries = await audit('limit=100');
    const row = (action: string, outcome = 'ok') =>
      entries.find((e) => e.action === action && e.outcome === outcome);
    expect(row('alarm.acknowledge', 'denied')).toMatchObject({
      actor: 'vic',
      role: 'viewer',
      target: ids[0],
      status: 403,
    });
    expect(row('alarm.acknowledge')).toMatchObject({
      actor: 'alice',
      actorKind: 'user',
      role: 'operator',
      target: ids[1],
      status: 200,
      app: 'alerting',
      ip: '127.0.0.1',
    });
    expect(
      entries
        .filter((e) => e.action === 'alarm.acknowledge' && e.outcome === 'ok')
        .map((e) => e.target)
        .sort(),
    ).toEqual([...ids].sort());
    expect(row('alarm.clear')).toMatchObject({ actor: 'alice', target: ids[0] });
    expect(row('alarm.shelve')).toMatchObject({
      actor: 'alice',
      target: ids[1],
      detail: { minutes: 30 },
    });
    expect(row('alarm.acknowledge', 'failed')).toMatchObject({
      actor: 'alice',
      target: ids[0],
      status: 409,
    });
    expect(row('rule-set.create')).toMatchObject({
      actor: 'boss',
      role: 'admin',
      target: setId,
      detail: { name: 'audit-set' },
    });
    expect(row('rule-set.update')).toMatchObject({ actor: 'boss', target: setId });
    expect(row('rule-set.assign')).toMatchObject({
      actor: 'boss',
      target: setId,
      detail: { devices: ['aud-9'] },
    });
    expect(row('webhook.create')).toMatchObject({
      actor: 'key:admin',
      actorKind: 'key',
      target: hook.body.id,
      detail: { url: 'https://93.184.215.14/hook' },
    });
    expect(row('webhook.delete')).toMatchObject({
      actor: 'boss',
      target: hook.body.id,
      status: 204,
    });
    for (const e of entries) {
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(started - 1000);
      expect(e.correlationId).toBeTruthy();
    }
    // The alarm history names the same person: the actor comes from the session, not the body.
    const detail = (await call('GET', `/alerts/${ids[0]}`, viewer)).body;
    expect(detail.acknowledgedBy).toBe('alice');

    // filters: by actor, by action prefix, by outcome, by target, paging
    expect((await audit('actor=alice')).map((e) => `${e.action}:${e.outcome}`)).toEqual([
      'alarm.acknowledge:failed',
      'alarm.acknowledge:ok',
      'alarm.shelve:ok',
      'alarm.clear:ok',
      'alarm.acknowledge:ok',
      'auth.login:ok',
    ]);
    const alarmActions = await audit('action=alarm.');
    expect(new Set(alarmActions.map((e) => e.action))).toEqual(
      new Set(['alarm.acknowledge', 'alarm.clear', 'alarm.shelve']),
    );
    expect((await audit('outcome=denied')).map((e) => e.actor)).toEqual(['vic']);
    expect((await audit(`target=${setId}&action=rule-set.*`)).length).toBe(3);
    const first = await call('GET', '/audit?limit=2', app.admin);
    const second = await call('GET', `/audit?limit=2&before=${first.body.nextCursor}`, app.admin);
    expect(Number(second.body.items[0].id)).toBe(Number(first.body.items[1].id) - 1);
    expect((await call('GET', '/audit', alice)).status).toBe(403);
    expect((await call('GET', '/audit?outcome=maybe', app.admin)).status).toBe(400);
  });

  it('locks an account after repeated wrong passwords, says for how long, and lets it in after', async () => {
    await app.app.get(UsersService).create('dora', 'dora-password-1', 'viewer');
    expect((await login('dora', 'wrong-password-1')).status).toBe(401);
    expect((await login('dora', 'wrong-password-2')).status).toBe(401);
    const locking = await login('dora', 'wrong-password-3');
    expect(locking.status).toBe(429);
    expect(locking.body.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locking.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // while locked, even the right password is refused, and costs no password check
    const locked = await login('dora', 'dora-password-1');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 2_100));
    const ok = await login('dora', 'dora-password-1');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ tokenType: 'Bearer', user: { name: 'dora', role: 'viewer' } });
    // an unknown name is refused the same way, and recorded
    expect((await login('nobody', 'whatever-password')).status).toBe(401);

    const failures = await audit('action=auth.login&outcome=failed');
    expect(
      failures.map((e) => [e.actor, e.actorKind, (e.detail as { reason: string }).reason]),
    ).toEqual([
      ['nobody', 'anonymous', 'unknown_user'],
      ['dora', 'anonymous', 'locked'],
      ['dora', 'anonymous', 'locked'],
      ['dora', 'anonymous', 'wrong_password'],
      ['dora', 'anonymous', 'wrong_password'],
    ]);
    expect(failures.every((e) => e.ip === '127.0.0.1')).toBe(true);
    expect((await audit('action=auth.login&outcome=ok&actor=dora')).length).toBe(1);
  });

  it('refreshes once: a used refresh token is refused and ends every session of the user', async () => {
    await app.app.get(UsersService).create('rita', 'rita-password-1', 'operator');
    const first = (await login('rita', 'rita-password-1')).body;
    const second = await call('POST', '/auth/refresh', {}, { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect(
      (await call('GET', '/auth/me', { authorization: `Bearer ${second.body.accessToken}` })).body,
    ).toEqual({ kind: 'user', name: 'rita', role: 'operator' });
    expect(
      (await call('POST', '/auth/refresh', {}, { refreshToken: first.refreshToken })).status,
    ).toBe(401);
    // the replay revoked the second pair's refresh token as well
    expect(
      (await call('POST', '/auth/refresh', {}, { refreshToken: second.body.refreshToken })).status,
    ).toBe(401);
  });
});

describe('rate limits', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let app: AlertingInstance;
  const token = async (name: string, role: Role) => {
    const u = await app.app.get(UsersService).create(name, `${name}-password-1`, role);
    const pair = await app.app.get(TokensService).issue({ id: u.id, name, role });
    return { authorization: `Bearer ${pair.accessToken}` };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    broker = await startTestBroker(db.url);
    app = await startAlertingInstance({
      DATABASE_URL: db.url,
      ...broker.env('alerting'),
      RATE_LIMIT_PER_IP: '16',
      RATE_LIMIT_PER_IDENTITY: '4',
      RATE_LIMIT_WINDOW_SECONDS: '60',
      RATE_LIMIT_LOGIN_PER_IP: '3',
    });
  });

  afterAll(async () => {
    await app?.close();
    await broker?.close();
    await db?.drop();
  });

  it('limits each identity, each IP and sign-in attempts per IP separately, with Retry-After', async () => {
    const x = await token('xavier', 'viewer');
    const y = await token('yvonne', 'viewer');
    const get = (headers: Record<string, string>, path = '/alerts') =>
      fetch(`${app.baseUrl}${path}`, { headers });
    for (let i = 0; i < 4; i++) expect((await get(x)).status).toBe(200);
    const limited = await get(x);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    // another identity from the same address is not affected by the first one's limit
    for (let i = 0; i < 4; i++) expect((await get(y)).status).toBe(200);
    // sign-in attempts: 3 per address, then 429 whatever the password (brute force)
    const attempt = () =>
      fetch(`${app.baseUrl}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'xavier', password: 'guess-password-1' }),
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(401);
    const guessing = await attempt();
    expect(guessing.status).toBe(429);
    expect(Number(guessing.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await guessing.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    // 12 requests from this address count so far (the identity's refused one too, not the
    // sign-in refused before the address limit); it allows 16
    for (let i = 0; i < 4; i++) expect((await get({}, '/health/live')).status).toBe(200);
    const byIp = await get({}, '/health/live');
    expect(byIp.status).toBe(429);
    expect(Number(byIp.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
