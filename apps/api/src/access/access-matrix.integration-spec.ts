/**
 * Acceptance: every route of the api × {anonymous, viewer, operator, admin, device key,
 * another device's key} answers the status apps/api/src/access/access-matrix.ts says, with
 * the chart's settings (Gin-compatible routes closed). A new route without an entry fails.
 */
import { TokensService, UsersService, type Role } from '@iotmon/server-kit';
import { matrixCoverage, runAccessMatrix, type Identity } from '@iotmon/testing';
import { admin, startApi, type ApiHarness } from '../testing/api-harness';
import { API_ACCESS_MATRIX } from './access-matrix';

describe('authorization matrix (api)', () => {
  let h: ApiHarness;
  const as: Record<Identity, Record<string, string>> = {
    anonymous: {},
    viewer: {},
    operator: {},
    admin: {},
    deviceKey: {},
    otherDeviceKey: {},
  };

  beforeAll(async () => {
    h = await startApi({ INGEST_MQTT: 'false', GIN_ROUTES_OPEN: 'false' });
    for (const role of ['viewer', 'operator', 'admin'] as Role[]) {
      const u = await h.api.get(UsersService).create(`m-${role}`, 'matrix-password-1', role);
      const pair = await h.api.get(TokensService).issue({ id: u.id, name: u.username, role });
      as[role] = { authorization: `Bearer ${pair.accessToken}` };
    }
    const created = await h.api.inject({
      method: 'POST',
      url: '/devices',
      headers: admin,
      payload: [
        { id: 'dev-a', name: 'a' },
        { id: 'dev-b', name: 'b' },
      ],
    });
    const [a, b] = created.json<{ apiKey: string }[]>();
    as.deviceKey = { 'x-api-key': a.apiKey };
    as.otherDeviceKey = { 'x-api-key': b.apiKey };
  });

  afterAll(() => h?.close());

  it('has an entry for every registered route, and none for a route that is gone', () => {
    expect(h.routes.length).toBeGreaterThan(10);
    expect(matrixCoverage(h.routes, API_ACCESS_MATRIX)).toEqual({ missing: [], stale: [] });
  });

  it('answers every route × identity as the matrix says', async () => {
    const result = await runAccessMatrix(
      h.routes,
      API_ACCESS_MATRIX,
      async (method, url, body, who) => {
        const res = await h.api.inject({
          method: method as 'GET',
          url,
          headers: {
            ...as[who],
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          payload: body === undefined ? undefined : JSON.stringify(body),
        });
        return res.statusCode;
      },
    );
    expect(result.mismatches).toEqual([]);
    expect(result.checked).toBe(Object.keys(API_ACCESS_MATRIX).length * 6);
  });
});
