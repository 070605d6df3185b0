import 'reflect-metadata';
import { loadConfigOrExit } from '@iotmon/server-kit';
import { createApiApp } from './app.factory';
import { loadApiConfig } from './config';

async function main() {
  const config = loadConfigOrExit(() => loadApiConfig());
  const app = await createApiApp(config);
  await app.listen(config.port, config.host);
  console.log(`api listening on http://localhost:${config.port}`);
}

main().catch((e: Error) => {
  console.error(`api failed to start: ${e.message}`);
  process.exit(1);
});
