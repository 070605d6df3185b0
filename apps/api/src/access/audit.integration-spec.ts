/**
 * Acceptance (audit, api side): device create/change/delete, device key rotation, machine key
 * and user management are recorded with who, what and from where; a rotated device key stops
 * working at once and the new one writes.
 */
import type { AuditEntry } from '@iotmon/server-kit';
import { admin, startApi, type ApiHarness } from '../testing/api-harness';

describe('audit log (api)', () => {
  let h: ApiHarness;
  const call = async (
    method: string,
    url: string,
    payload?: object,
    headers: Record<string, string> = admin,
  ) => {
    const res = await h.api.inject({ method: method as 'GET', url, headers, payload });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };

  beforeAll(async () => {
    h = await startApi({ INGEST_MQTT: 'false' });
  });
  afterAll(() => h?.close());

  it('records device, key and user changes, and a rotated device key stops working', async () => {
    expect((await call('POST', '/devices', { id: 'au-1', name: 'one' })).status).toBe(201);
    expect((await call('PATCH', '/devices/au-1', { name: 'uno' })).status).toBe(200);
    const old = (await call('POST', '/devices', { id: 'au-2', name: 'two' })).body.apiKey;
    const rotated = await call('POST', '/devices/au-2/key');
    expect(rotated.status).toBe(201);
    const reading = [{ deviceId: 'au-2', sensor: 'humidity', value: 40, ts: 1795305600000 }];
    expect((await call('POST', '/readings', reading, { 'x-api-key': old })).status).toBe(401);
    expect(
      (await call('POST', '/readings', reading, { 'x-api-key': rotated.body.apiKey })).status,
    ).toBe(201);
    expect((await call('DELETE', '/devices/au-1')).status).toBe(204);
    const key = await call('POST', '/api-keys', { name: 'ingest-gw', role: 'operator' });
    expect(key.status).toBe(201);
    expect((await call('POST', `/api-keys/${key.body.id}/rotate`)).status).toBe(200);
    expect((await call('DELETE', `/api-keys/${key.body.id}`)).status).toBe(204);
    const user = await call('POST', '/users', {
      username: 'olga',
      password: 'olga-password-1',
      role: 'viewer',
    });
    expect(user.status).toBe(201);
    expect((await call('PATCH', `/users/${user.body.id}`, { role: 'operator' })).status).toBe(200);
    expect((await call('DELETE', `/users/${user.body.id}`)).status).toBe(204);
    // a viewer may not change devices: denied, and recorded
    expect((await call('DELETE', '/devices/au-2', undefined, h.viewer)).status).toBe(403);

    const items = (await call('GET', '/audit?limit=100')).body.items as AuditEntry[];
    const got = items
      .filter((e) => e.action !== 'auth.login')
      .map((e) => [e.action, e.outcome, e.actor, e.target, e.status])
      .reverse();
    expect(got).toEqual([
      ['device.create', 'ok', 'key:admin', 'au-1', 201],
      ['device.update', 'ok', 'key:admin', 'au-1', 200],
      ['device.create', 'ok', 'key:admin', 'au-2', 201],
      ['device.key.rotate', 'ok', 'key:admin', 'au-2', 201],
      ['device.delete', 'ok', 'key:admin', 'au-1', 204],
      ['api-key.create', 'ok', 'key:admin', key.body.id, 201],
      ['api-key.rotate', 'ok', 'key:admin', key.body.id, 200],
      ['api-key.revoke', 'ok', 'key:admin', key.body.id, 204],
      ['user.create', 'ok', 'key:admin', user.body.id, 201],
      ['user.update', 'ok', 'key:admin', user.body.id, 200],
      ['user.delete', 'ok', 'key:admin', user.body.id, 204],
      ['device.delete', 'denied', 'key:test-viewer', 'au-2', 403],
    ]);
    expect(items.every((e) => e.app === 'api' && e.ip === '127.0.0.1')).toBe(true);
    // secrets never reach the log
    expect(JSON.stringify(items)).not.toContain(rotated.body.apiKey);
    expect(JSON.stringify(items)).not.toContain('olga-password-1');
  });
});
