/**
 * Who may call each advisor route, checked by access-matrix.integration-spec.ts against every
 * registered route (docs/security.md). The advisor knows no device keys (it has no identity
 * tables): a device key is an unknown key there, 401. Sample requests change nothing.
 */
import type { AccessMatrix } from '@iotmon/testing';

const UNKNOWN_KEY = { deviceKey: 401, otherDeviceKey: 401 };

export const ADVISOR_ACCESS_MATRIX: AccessMatrix = {
  'GET /health': { access: 'public', ok: 200 },
  'GET /health/live': { access: 'public', ok: 200 },
  'GET /health/ready': { access: 'public', ok: 200 },
  'GET /metrics': { access: 'public', ok: 200 },
  'GET /advice': { access: 'viewer', ok: 200, expect: UNKNOWN_KEY },
  'GET /advice/history': { access: 'viewer', ok: 200, expect: UNKNOWN_KEY },
  // a body that fails validation: no question is asked, nothing lands in the history
  'POST /advice/ask': { access: 'operator', body: {}, ok: 400, expect: UNKNOWN_KEY },
};
