/**
 * Every advisor route × {anonymous, viewer, operator, admin, device key, another device's key}
 * answers as apps/advisor/src/access/access-matrix.ts says; a new route without an entry fails.
 * Viewer and operator are signed-in users' tokens (as the api issues them), admin the key.
 */
import { randomBytes } from 'node:crypto';
import {
  createTestDatabase,
  matrixCoverage,
  runAccessMatrix,
  waitFor,
  type Identity,
  type TestDatabase,
} from '@iotmon/testing';
import { startAdvisorInstance, type AdvisorInstance } from '../test-support/advisor-instance';
import { ADVISOR_ACCESS_MATRIX } from './access-matrix';

let db: TestDatabase;
let advisor: AdvisorInstance;
let as: Record<Identity, Record<string, string>>;

beforeAll(async () => {
  db = await createTestDatabase();
  advisor = await startAdvisorInstance(db);
  const deviceKey = () => ({ 'x-api-key': `iotd_${randomBytes(32).toString('base64url')}` });
  as = {
    anonymous: {},
    viewer: advisor.viewer,
    operator: advisor.operator,
    admin: advisor.admin,
    deviceKey: deviceKey(),
    otherDeviceKey: deviceKey(),
  };
  await waitFor(async () => (await fetch(`${advisor.baseUrl}/health/ready`)).ok, {
    what: 'the advisor ready (first evaluation)',
  });
});

afterAll(async () => {
  await advisor?.close();
  await db?.drop();
});

it('has an entry for every registered route, and none for a route that is gone', () => {
  expect(matrixCoverage(advisor.routes, ADVISOR_ACCESS_MATRIX)).toEqual({ missing: [], stale: [] });
});

it('answers every route × identity as the matrix says', async () => {
  const result = await runAccessMatrix(
    advisor.routes,
    ADVISOR_ACCESS_MATRIX,
    async (method, url, body, who) => {
      const res = await fetch(`${advisor.baseUrl}${url}`, {
        method,
        headers: {
          ...as[who],
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      await res.body?.cancel();
      return res.status;
    },
  );
  expect(result.mismatches).toEqual([]);
  expect(result.checked).toBe(Object.keys(ADVISOR_ACCESS_MATRIX).length * 6);
});
