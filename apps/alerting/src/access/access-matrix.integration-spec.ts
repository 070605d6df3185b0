/**
 * Acceptance: every route of alerting (incl. the dashboard it serves) × {anonymous, viewer,
 * operator, admin, device key, another device's key} answers the status
 * apps/alerting/src/access/access-matrix.ts says. A new route without an entry fails.
 */
import type { RegistryBroker } from '@iotmon/messaging';
import { ApiKeysService } from '@iotmon/server-kit';
import {
  createTestDatabase,
  matrixCoverage,
  runAccessMatrix,
  type Identity,
  type TestDatabase,
} from '@iotmon/testing';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { startTestBroker } from '../test-support/edge-publisher';
import { startAlertingInstance, type AlertingInstance } from '../test-support/alerting-instance';
import { ALERTING_ACCESS_MATRIX } from './access-matrix';

describe('authorization matrix (alerting)', () => {
  let db: TestDatabase;
  let broker: RegistryBroker;
  let app: AlertingInstance;
  /**
   * The api and the advisor the dashboard proxies to: a real local server that answers 200 to
   * any caller, so the status seen is alerting's own decision.
   */
  let api: Server;
  const as: Record<Identity, Record<string, string>> = {
    anonymous: {},
    viewer: {},
    operator: {},
    admin: {},
    deviceKey: {},
    otherDeviceKey: {},
  };

  beforeAll(async () => {
    api = createServer((_req, res) => res.setHeader('content-type', 'application/json').end('[]'));
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    db = await createTestDatabase();
    broker = await startTestBroker(db.url);
    const upstream = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    process.env['DASHBOARD_API_URL'] = upstream;
    process.env['DASHBOARD_ADVISOR_URL'] = upstream;
    app = await startAlertingInstance({ DATABASE_URL: db.url, ...broker.env('alerting') });
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      as[role] = await app.signIn(`m-${role}`, role);
    }
    // Device keys as the api issues them, in the devices table both apps share.
    const keys = app.app.get(ApiKeysService);
    const ds = app.app.get<DataSource>(getDataSourceToken());
    for (const [id, who] of [
      ['dev-a', 'deviceKey'],
      ['dev-b', 'otherDeviceKey'],
    ] as const) {
      const { key, hash } = keys.issueDeviceKey();
      await ds.query(`INSERT INTO devices (id, name, api_key_hash) VALUES ($1, $1, $2)`, [
        id,
        hash,
      ]);
      as[who] = { 'x-api-key': key };
    }
  });

  afterAll(async () => {
    delete process.env['DASHBOARD_API_URL'];
    delete process.env['DASHBOARD_ADVISOR_URL'];
    await app?.close();
    await broker?.close();
    await db?.drop();
    await new Promise((r) => api?.close(r));
  });

  it('has an entry for every registered route, and none for a route that is gone', () => {
    expect(app.routes.length).toBeGreaterThan(10);
    expect(matrixCoverage(app.routes, ALERTING_ACCESS_MATRIX)).toEqual({ missing: [], stale: [] });
  });

  it('answers every route × identity as the matrix says', async () => {
    const result = await runAccessMatrix(
      app.routes,
      ALERTING_ACCESS_MATRIX,
      async (method, url, body, who) => {
        const res = await fetch(`${app.baseUrl}${url}`, {
          method,
          headers: {
            ...as[who],
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        // /live streams: the status is all that is needed.
        await res.body?.cancel();
        return res.status;
      },
    );
    expect(result.mismatches).toEqual([]);
    expect(result.checked).toBe(Object.keys(ALERTING_ACCESS_MATRIX).length * 6);
  });
});
