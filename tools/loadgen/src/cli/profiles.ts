/** Prints load profile ids, one per line, for shell loops (k6/run-matrix.sh). */
import { LOAD_MATRIX, SMOKE_PROFILES } from '@iotmon/load-profiles';

const arg = process.argv[2];
if (arg === '--help') {
  console.log('usage: node tools/run-ts.mjs tools/loadgen/src/cli/profiles.ts [--smoke|--all]');
} else {
  const list =
    arg === '--smoke'
      ? SMOKE_PROFILES
      : arg === '--all'
        ? [...SMOKE_PROFILES, ...LOAD_MATRIX]
        : LOAD_MATRIX;
  for (const p of list) console.log(p.id);
}
