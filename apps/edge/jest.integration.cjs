// The edge needs no PostgreSQL: its integration tier skips the shared embedded-PostgreSQL setup.
module.exports = require('../../jest.preset.cjs').tier(__dirname, 'integration', {
  globalSetup: undefined,
  globalTeardown: undefined,
});
