// End-to-end: real processes (PostgreSQL, broker, api, edge, advisor) and a real fault.
module.exports = require('../../jest.preset.cjs').tier(__dirname, 'e2e', {
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  testTimeout: 180_000,
});
