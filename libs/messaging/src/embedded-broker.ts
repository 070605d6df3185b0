/**
 * The embedded MQTT broker (Aedes, MQTT 3.1.1) on TCP and WebSocket, and on TLS and secure
 * WebSocket when given a certificate; used when MQTT_URL is unset and by tests. Every client
 * signs in (broker-gate.ts): there is no anonymous access. Production points MQTT_URL at
 * Mosquitto or EMQX instead.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTlsServer } from 'node:tls';
import Aedes, { type AedesOptions, type Client } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { BrokerGate, type BrokerAccess } from './broker-gate';

export interface BrokerTls {
  /** PEM server certificate (chain) and key. */
  cert: string | Buffer;
  key: string | Buffer;
  /** TLS port (MQTT over TLS, 8883 by convention); 0 picks a free one. */
  port: number;
  /** Secure WebSocket port; omit to skip WSS, 0 picks a free one. */
  wssPort?: number;
}

export interface EmbeddedBrokerOptions {
  /** Credentials and device keys: required, so that no broker starts open by accident. */
  access: BrokerAccess;
  /** Plain TCP port; 0 picks a free one, `null` opens none (TLS only). */
  port?: number | null;
  /** Plain WebSocket port; omit to skip WebSocket, 0 picks a free one. */
  wsPort?: number;
  tls?: BrokerTls;
  host?: string;
  /** Passed to Aedes, e.g. a `preConnect` hook for tests. */
  aedes?: Omit<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'>;
}

export interface EmbeddedBroker {
  /** Plain TCP port, if one is open. */
  port?: number;
  wsPort?: number;
  tlsPort?: number;
  wssPort?: number;
  /** `mqtt://` when a plain port is open, else `mqtts://`. */
  url: string;
  gate: BrokerGate;
  close(): Promise<void>;
}

function listen(server: Server | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const host = opts.host ?? '127.0.0.1';
  const gate = new BrokerGate(opts.access);
  const aedes = new Aedes({ ...opts.aedes, ...gate.hooks() });
  gate.attach((aedes as unknown as { clients: Record<string, Client> }).clients);
  aedes.on('clientDisconnect', (client) => gate.forget(client));
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  };
  const servers: (Server | HttpServer)[] = [];
  const wsServers: WebSocketServer[] = [];
  const serveWs = (http: HttpServer) => {
    const wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws, req) => {
      req.socket.setNoDelay(true);
      aedes.handle(createWebSocketStream(ws) as unknown as Socket);
    });
    wsServers.push(wss);
  };
  const open = async (server: Server | HttpServer, port: number) => {
    servers.push(server);
    return listen(server, port, host);
  };

  const port =
    opts.port === null ? undefined : await open(createServer(onSocket), opts.port ?? 1883);
  let wsPort: number | undefined;
  if (opts.wsPort !== undefined) {
    const http = createHttpServer();
    serveWs(http);
    wsPort = await open(http, opts.wsPort);
  }
  let tlsPort: number | undefined;
  let wssPort: number | undefined;
  if (opts.tls) {
    const { cert, key } = opts.tls;
    tlsPort = await open(createTlsServer({ cert, key }, onSocket), opts.tls.port);
    if (opts.tls.wssPort !== undefined) {
      const https = createHttpsServer({ cert, key });
      serveWs(https);
      wssPort = await open(https, opts.tls.wssPort);
    }
  }
  return {
    port,
    wsPort,
    tlsPort,
    wssPort,
    url: port !== undefined ? `mqtt://${host}:${port}` : `mqtts://${host}:${tlsPort}`,
    gate,
    close: async () => {
      for (const s of sockets) s.destroy();
      for (const w of wsServers) w.clients.forEach((c) => c.terminate());
      await Promise.all([
        ...servers.map((s) => new Promise<void>((r) => s.close(() => r()))),
        new Promise<void>((r) => aedes.close(() => r())),
      ]);
    },
  };
}
