#!/usr/bin/env node
// Bundles each k6 scenario (src/scenarios/*.ts) with the shared load-profiles lib into one
// ES module per scenario in k6/dist/, which plain `k6 run` loads (k6 resolves neither our
// path aliases nor extensionless imports). CommonJS so the bundle test can require it.
const { buildSync } = require('esbuild');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

/** esbuild options; the bundle test (k6/test) swaps the format to run bundles in Node. */
function bundleOptions(entryPoints, overrides = {}) {
  return {
    entryPoints,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // Sobek (k6's JS engine) runs ES2017 reliably; newer syntax is lowered.
    target: 'es2017',
    external: ['k6', 'k6/*'],
    tsconfig: join(__dirname, 'tsconfig.json'),
    logLevel: 'warning',
    legalComments: 'none',
    ...overrides,
  };
}

function scenarioEntries() {
  const dir = join(__dirname, 'src/scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(dir, f));
}

module.exports = { bundleOptions, scenarioEntries };

if (require.main === module) {
  if (process.argv.includes('--help')) {
    console.log('usage: node k6/build.cjs  — bundle k6/src/scenarios/*.ts into k6/dist/*.js');
    process.exit(0);
  }
  const entries = scenarioEntries();
  buildSync(bundleOptions(entries, { outdir: join(__dirname, 'dist') }));
  console.log(`bundled ${entries.length} k6 scenarios into k6/dist/`);
}
