// End-to-end: the real processes (compiled apps) against Debian's Mosquitto and PostgreSQL.
module.exports = require('../../jest.preset.cjs').tier(__dirname, 'integration', {
  displayName: 'e2e',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 120_000,
});
