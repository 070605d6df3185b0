/**
 * Who may call each alerting route, checked by access-matrix.integration-spec.ts against every
 * registered route (docs/security.md: how to add an entry). Sample requests change nothing:
 * unknown ids (404) or bodies that fail validation (400).
 */
import type { AccessMatrix } from '@iotmon/testing';

export const ALERTING_ACCESS_MATRIX: AccessMatrix = {
  // open: health, metrics, sign-in, the dashboard's own files
  'GET /health': { access: 'public', ok: 200 },
  'GET /health/live': { access: 'public', ok: 200 },
  'GET /health/ready': { access: 'public', ok: 200 },
  'GET /metrics': { access: 'public', ok: 200 },
  'POST /auth/login': {
    access: 'public',
    body: { username: 'nobody', password: 'not-the-password' },
    ok: 401,
  },
  'POST /auth/refresh': { access: 'public', body: { refreshToken: 'iotr_unknown' }, ok: 401 },
  'POST /auth/logout': { access: 'public', body: {}, ok: 204 },
  'GET /auth/me': { access: 'viewer', ok: 200 },
  'GET /dashboard': { access: 'public', ok: 200 },
  'GET /dashboard/': { access: 'public', ok: 200 },
  'GET /dashboard/:file': { access: 'public', url: '/dashboard/app.js', ok: 200 },
  'GET /dashboard/vendor/:file': {
    access: 'public',
    url: '/dashboard/vendor/uPlot.esm.js',
    ok: 200,
  },
  'GET /dashboard/config.json': { access: 'public', ok: 200 },

  // reads: the page's proxy to the api (as the caller), alarms, rule sets, the live feed
  'GET /dashboard/api/devices': { access: 'viewer', ok: 200 },
  'GET /dashboard/api/readings': { access: 'viewer', ok: 200 },
  'GET /dashboard/api/readings/aggregate': { access: 'viewer', ok: 200 },
  'GET /dashboard/api/advice': { access: 'viewer', ok: 200 },
  'GET /dashboard/api/advice/history': { access: 'viewer', ok: 200 },
  'GET /alerts': { access: 'viewer', ok: 200 },
  'GET /alerts/:id': { access: 'viewer', url: '/alerts/999999', ok: 404 },
  'GET /rule-sets': { access: 'viewer', ok: 200 },
  'GET /rule-sets/:id': { access: 'viewer', url: '/rule-sets/999999', ok: 404 },
  'GET /live': { access: 'viewer', url: '/live?readings=false', ok: 200 },

  // operators act on alarms
  'POST /alerts/:id/ack': { access: 'operator', url: '/alerts/999999/ack', body: {}, ok: 404 },
  'POST /alerts/:id/clear': {
    access: 'operator',
    url: '/alerts/999999/clear',
    body: {},
    ok: 404,
  },
  'POST /alerts/:id/shelve': {
    access: 'operator',
    url: '/alerts/999999/shelve',
    body: { minutes: 5 },
    ok: 404,
  },

  // asking the advisor (an LLM call) is an operator's; the advisor checks it again
  'POST /dashboard/api/advice/ask': {
    access: 'operator',
    body: { question: 'why?' },
    ok: 200,
  },

  // admins: rule sets (pushed to the edges), webhooks, users, keys, the audit log
  'POST /rule-sets': { access: 'admin', body: {}, ok: 400 },
  'PUT /rule-sets/:id': { access: 'admin', url: '/rule-sets/999999', body: {}, ok: 400 },
  'PUT /rule-sets/:id/assignments': {
    access: 'admin',
    url: '/rule-sets/999999/assignments',
    body: { devices: 'not-a-list' },
    ok: 400,
  },
  'POST /webhooks': { access: 'admin', body: {}, ok: 400 },
  'GET /webhooks': { access: 'admin', ok: 200 },
  'GET /webhooks/:id': { access: 'admin', url: '/webhooks/999999', ok: 404 },
  'DELETE /webhooks/:id': { access: 'admin', url: '/webhooks/999999', ok: 404 },
  'GET /webhooks/:id/deliveries': {
    access: 'admin',
    url: '/webhooks/999999/deliveries',
    ok: 404,
  },
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
