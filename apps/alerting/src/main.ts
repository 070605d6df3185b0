import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit, startTracing } from '@iotmon/server-kit';
import { createAlertingApp } from './app.factory';
import { loadAlertingConfig } from './config';

async function main() {
  startTracing('alerting');
  const config = loadConfigOrExit(() => loadAlertingConfig());
  const app = await createAlertingApp(config);
  await app.listen(config.port, config.host);
  new Logger('main').log(`alerting listening on http://localhost:${config.port}`);
}

main().catch((e: Error) => {
  console.error(`alerting failed to start: ${e.message}`);
  process.exit(1);
});
