/**
 * The embedded MQTT broker (Aedes, MQTT 3.1.1) on TCP and WebSocket, used when MQTT_URL is
 * unset and by tests. Production points MQTT_URL at Mosquitto or EMQX instead.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import Aedes, { type AedesOptions } from 'aedes';
import { createWebSocketStream, WebSocketServer } from 'ws';

export interface EmbeddedBrokerOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** WebSocket port; omit to skip WebSocket, 0 picks a free one. */
  wsPort?: number;
  host?: string;
  /** Passed to Aedes, e.g. `preConnect` or `authenticate` hooks for tests. */
  aedes?: AedesOptions;
}

export interface EmbeddedBroker {
  port: number;
  wsPort?: number;
  url: string;
  close(): Promise<void>;
}

function listen(server: Server | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startEmbeddedBroker(
  opts: EmbeddedBrokerOptions = {},
): Promise<EmbeddedBroker> {
  const host = opts.host ?? '127.0.0.1';
  const aedes = new Aedes(opts.aedes);
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  const port = await listen(tcp, opts.port ?? 1883, host);
  let http: HttpServer | undefined;
  let wss: WebSocketServer | undefined;
  let wsPort: number | undefined;
  if (opts.wsPort !== undefined) {
    http = createHttpServer();
    wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws, req) => {
      req.socket.setNoDelay(true);
      aedes.handle(createWebSocketStream(ws) as unknown as Socket);
    });
    wsPort = await listen(http, opts.wsPort, host);
  }
  return {
    port,
    wsPort,
    url: `mqtt://${host}:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      wss?.clients.forEach((c) => c.terminate());
      await Promise.all([
        new Promise<void>((r) => tcp.close(() => r())),
        http ? new Promise<void>((r) => http!.close(() => r())) : undefined,
        new Promise<void>((r) => aedes.close(() => r())),
      ]);
    },
  };
}
