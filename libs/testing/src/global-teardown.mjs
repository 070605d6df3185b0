import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const state = globalThis.__IOTMON_PG__;
  if (!state) return;
  await state.server.stop();
  rmSync(state.workDir, { recursive: true, force: true });
}
