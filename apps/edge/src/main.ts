import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@iotmon/config';
import { loadEdgeConfig } from './config';
import { EdgeModule } from './edge.module';

async function main() {
  const config = loadConfigOrExit(() => loadEdgeConfig());
  const app = await NestFactory.createApplicationContext(EdgeModule.register(config), {
    logger: ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks();
  const sensors = config.sensors.map((s) => `${s.kind}/${s.intervalMs}ms`).join(', ');
  console.log(`edge ${config.nodeId}: sensors ${sensors}`);
}

main().catch((e: Error) => {
  console.error(`edge failed to start: ${e.message}`);
  process.exit(1);
});
