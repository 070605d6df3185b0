import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfigOrExit, startTracing } from '@iotmon/server-kit';
import { createApiApp } from './app.factory';
import { loadApiConfig } from './config';

async function main() {
  startTracing('api');
  const config = loadConfigOrExit(() => loadApiConfig());
  const app = await createApiApp(config);
  await app.listen(config.port, config.host);
  new Logger('main').log(`api listening on http://localhost:${config.port}`);
}

main().catch((e: Error) => {
  console.error(`api failed to start: ${e.message}`);
  process.exit(1);
});
