/** The embedded Aedes broker as its own process (npm start), TCP plus WebSocket. */
import { startEmbeddedBroker } from '@iotmon/messaging';

async function main() {
  const port = Number(process.env['MQTT_PORT'] ?? 1883);
  const wsPort = Number(process.env['MQTT_WS_PORT'] ?? 8083);
  const broker = await startEmbeddedBroker({
    port,
    wsPort,
    host: process.env['MQTT_HOST'] ?? '127.0.0.1',
  });
  console.log(`broker ready mqtt://127.0.0.1:${broker.port} ws://127.0.0.1:${broker.wsPort}`);
  const stop = () => void broker.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  console.error(`broker failed to start: ${e.message}`);
  process.exit(1);
});
