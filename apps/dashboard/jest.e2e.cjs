// Browser e2e against a real stack (tools/start.mjs): headless Chromium via playwright-core.
module.exports = require('../../jest.preset.cjs').tier(__dirname, 'e2e', {
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 240_000,
});
