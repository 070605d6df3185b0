import 'reflect-metadata';
import { loadConfigOrExit } from '@iotmon/server-kit';
import { createAlertingApp } from './app.factory';
import { loadAlertingConfig } from './config';

async function main() {
  const config = loadConfigOrExit(() => loadAlertingConfig());
  const app = await createAlertingApp(config);
  await app.listen(config.port, config.host);
  console.log(`alerting listening on http://localhost:${config.port}`);
}

main().catch((e: Error) => {
  console.error(`alerting failed to start: ${e.message}`);
  process.exit(1);
});
