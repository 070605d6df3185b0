/**
 * The embedded Aedes broker as its own process (npm start): TCP plus WebSocket, and TLS plus
 * secure WebSocket when a certificate is given. Services sign in with the passwords below,
 * devices with their keys from the api's registry in PostgreSQL (DATABASE_URL).
 */
import { readFileSync } from 'node:fs';
import { ConfigError, EnvReader, loadConfigOrExit } from '@iotmon/config';
import { startRegistryBroker, type BrokerTls } from '@iotmon/messaging';
import { databaseUrlFromEnv } from '@iotmon/persistence';
import { servicePasswords } from './service-passwords';

function loadBrokerConfig(env: NodeJS.ProcessEnv = process.env) {
  const read = new EnvReader(env);
  const services = servicePasswords(read);
  const certFile = read.optional('MQTT_TLS_CERT_FILE');
  const keyFile = read.optional('MQTT_TLS_KEY_FILE');
  if ((certFile === undefined) !== (keyFile === undefined))
    throw new ConfigError(certFile ? 'MQTT_TLS_KEY_FILE' : 'MQTT_TLS_CERT_FILE', 'must be set too');
  const pem = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (e) {
      throw new ConfigError(name, `cannot be read (${(e as Error).message})`);
    }
  };
  const tls: BrokerTls | undefined =
    certFile && keyFile
      ? {
          cert: pem('MQTT_TLS_CERT_FILE', certFile),
          key: pem('MQTT_TLS_KEY_FILE', keyFile),
          port: read.int('MQTT_TLS_PORT', 8883, 0, 65535),
          wssPort: read.int('MQTT_WSS_PORT', 8084, 0, 65535),
        }
      : undefined;
  // With TLS on, plain listeners open only when asked for (MQTT_PLAIN=1).
  const plain = read.bool('MQTT_PLAIN', !tls);
  return {
    databaseUrl: databaseUrlFromEnv(env),
    services,
    tls,
    port: plain ? read.int('MQTT_PORT', 1883, 0, 65535) : null,
    wsPort: plain ? read.int('MQTT_WS_PORT', 8083, 0, 65535) : undefined,
    host: read.string('MQTT_HOST', '127.0.0.1'),
  };
}

async function main() {
  const config = loadConfigOrExit(() => loadBrokerConfig());
  const broker = await startRegistryBroker({ ...config, log: (line) => console.log(line) });
  const listeners = [
    broker.port !== undefined && `mqtt://127.0.0.1:${broker.port}`,
    broker.wsPort !== undefined && `ws://127.0.0.1:${broker.wsPort}`,
    broker.tlsPort !== undefined && `mqtts://127.0.0.1:${broker.tlsPort}`,
    broker.wssPort !== undefined && `wss://127.0.0.1:${broker.wssPort}`,
  ].filter(Boolean);
  console.log(`broker ready ${listeners.join(' ')}`);
  const stop = () => void broker.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  console.error(`broker failed to start: ${e.message}`);
  process.exit(1);
});
