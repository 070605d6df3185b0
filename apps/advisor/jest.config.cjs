module.exports = require('../../jest.preset.cjs').tier(__dirname, 'unit');
