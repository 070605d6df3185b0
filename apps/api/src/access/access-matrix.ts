/**
 * Who may call each api route, checked by access-matrix.integration-spec.ts against every
 * registered route (docs/security.md: how to add an entry). Sample requests are chosen so
 * they change nothing: unknown ids (404) or bodies that fail validation (400), which the
 * guard lets through only for callers who may call the route.
 */
import type { AccessMatrix } from '@iotmon/testing';

const DAY = 'from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z';

export const API_ACCESS_MATRIX: AccessMatrix = {
  // open: health, metrics, docs, sign-in
  'GET /health': { access: 'public', ok: 200 },
  'GET /health/live': { access: 'public', ok: 200 },
  'GET /health/ready': { access: 'public', ok: 200 },
  'GET /metrics': { access: 'public', ok: 200 },
  'GET /docs': { access: 'public', ok: 200 },
  'GET /docs-json': { access: 'public', ok: 200 },
  'GET /docs-yaml': { access: 'public', ok: 200 },
  'GET /docs/swagger-ui-init.js': { access: 'public', ok: 200 },
  'GET /docs/swagger-ui.css': { access: 'public', ok: 200 },
  'GET /docs/swagger-ui-bundle.js': { access: 'public', ok: 200 },
  'POST /auth/login': {
    access: 'public',
    body: { username: 'nobody', password: 'not-the-password' },
    ok: 401,
  },
  'POST /auth/refresh': { access: 'public', body: { refreshToken: 'iotr_unknown' }, ok: 401 },
  'POST /auth/logout': { access: 'public', body: {}, ok: 204 },
  'GET /auth/me': { access: 'viewer', ok: 200 },

  // readings: devices write their own, people read
  'POST /readings': {
    access: 'device',
    body: [{ deviceId: 'dev-a', sensor: 'temperature', value: 21.5, ts: 1795305600000 }],
    ok: 201,
  },
  'GET /readings': { access: 'viewer', url: '/readings?limit=1', ok: 200 },
  'GET /readings/aggregate': {
    access: 'viewer',
    url: `/readings/aggregate?sensor=temperature&bucket=1m&${DAY}`,
    ok: 200,
  },

  // devices: admins manage, viewers read
  'POST /devices': { access: 'admin', body: {}, ok: 400 },
  'GET /devices': { access: 'viewer', ok: 200 },
  'GET /devices/:id': { access: 'viewer', url: '/devices/dev-a', ok: 200 },
  'PATCH /devices/:id': { access: 'admin', url: '/devices/nope-1', body: { name: 'x' }, ok: 404 },
  'DELETE /devices/:id': { access: 'admin', url: '/devices/nope-1', ok: 404 },
  'POST /devices/:id/key': { access: 'admin', url: '/devices/nope-1/key', ok: 404 },

  // Gin-compatible: closed here (the chart's setting); GIN_ROUTES_OPEN opens them to anyone
  'GET /': { access: 'viewer', ok: 200 },
  'GET /iot': { access: 'viewer', ok: 200 },
  'GET /iot/create_table': { access: 'admin', ok: 200 },
  'GET /iot/create': { access: 'admin', url: '/iot/create?n=abc', ok: 400 },

  // identities and the audit log: admins only
  'POST /users': { access: 'admin', body: {}, ok: 400 },
  'GET /users': { access: 'admin', ok: 200 },
  'GET /users/:id': { access: 'admin', url: '/users/999999', ok: 404 },
  'PATCH /users/:id': { access: 'admin', url: '/users/999999', body: { role: 'viewer' }, ok: 404 },
  'DELETE /users/:id': { access: 'admin', url: '/users/999999', ok: 404 },
  'POST /api-keys': { access: 'admin', body: {}, ok: 400 },
  'GET /api-keys': { access: 'admin', ok: 200 },
  'POST /api-keys/:id/rotate': { access: 'admin', url: '/api-keys/999999/rotate', ok: 404 },
  'DELETE /api-keys/:id': { access: 'admin', url: '/api-keys/999999', ok: 404 },
  'GET /audit': { access: 'admin', ok: 200 },
};
