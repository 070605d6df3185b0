import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { createServerApp, loadConfigOrExit } from '@iotmon/server-kit';
import { loadEdgeConfig } from './config/edge-config';
import { EdgeModule } from './edge.module';

async function main() {
  const config = loadConfigOrExit(() => loadEdgeConfig());
  const app = await createServerApp(EdgeModule.register(config), { app: 'edge' });
  await app.listen(config.httpPort, '0.0.0.0');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const sensors = config.sensors.map((s) => `${s.kind}/${s.intervalMs}ms`).join(', ');
  const who = config.fleet ? `fleet of ${config.fleet.nodes} nodes` : config.nodeId;
  new Logger('main').log(
    `edge ${who}: sensors ${sensors}; http on port ${port} (/health, /health/live, /metrics)`,
  );
}

main().catch((e: Error) => {
  console.error(`edge failed to start: ${e.message}`);
  process.exit(1);
});
