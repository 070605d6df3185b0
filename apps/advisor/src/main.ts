import 'reflect-metadata';
import { loadConfigOrExit } from '@iotmon/config';
import { createAdvisorApp } from './app.factory';
import { loadAdvisorConfig } from './config';

async function main() {
  const config = loadConfigOrExit(() => loadAdvisorConfig());
  const app = await createAdvisorApp(config);
  await app.listen(config.port, config.host);
  console.log(
    `advisor listening on http://localhost:${config.port} (LLM ${config.llm ? config.llm.url : 'off'})`,
  );
}

main().catch((e: Error) => {
  console.error(`advisor failed to start: ${e.message}`);
  process.exit(1);
});
