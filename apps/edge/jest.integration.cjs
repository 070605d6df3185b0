// The edge needs no PostgreSQL, but the broker it signs in to checks device keys there.
module.exports = require('../../jest.preset.cjs').tier(__dirname, 'integration');
