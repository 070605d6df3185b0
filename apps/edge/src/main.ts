import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { createServerApp, loadConfigOrExit, startMqttTransport } from '@iotmon/server-kit';
import { loadEdgeConfig } from './config/edge-config';
import { EdgeModule } from './edge.module';
import { EdgeRuntime } from './runtime/edge-runtime.service';

async function main() {
  const config = loadConfigOrExit(() => loadEdgeConfig());
  const app = await createServerApp(EdgeModule.register(config), { app: 'edge' });
  // Config and ack handlers (node-inbox.controller.ts) on every node's own connection.
  const { connections } = app.get(EdgeRuntime);
  await startMqttTransport(app, { settings: config.mqtt, connections });
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
