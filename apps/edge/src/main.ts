import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfigOrExit } from '@iotmon/config';
import { loadEdgeConfig } from './config/edge-config';
import { EdgeModule } from './edge.module';

async function main() {
  const config = loadConfigOrExit(() => loadEdgeConfig());
  const app = await NestFactory.create<NestFastifyApplication>(
    EdgeModule.register(config),
    new FastifyAdapter(),
    { logger: ['log', 'warn', 'error'] },
  );
  app.enableShutdownHooks();
  await app.listen(config.httpPort, '0.0.0.0');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const sensors = config.sensors.map((s) => `${s.kind}/${s.intervalMs}ms`).join(', ');
  const who = config.fleet ? `fleet of ${config.fleet.nodes} nodes` : config.nodeId;
  console.log(`edge ${who}: sensors ${sensors}; http on port ${port} (/health, /metrics)`);
}

main().catch((e: Error) => {
  console.error(`edge failed to start: ${e.message}`);
  process.exit(1);
});
