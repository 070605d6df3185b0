/** A real local HTTP server that plays a webhook receiver, for tests and the bench. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  n: number;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** `respond(n)` gives the status for the n-th request (1-based); default 200. */
export async function startWebhookReceiver(
  respond: (n: number, body: string) => number = () => 200,
  onRequest?: (r: ReceivedRequest) => void,
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const receivedAt = Date.now();
      const body = Buffer.concat(chunks).toString('utf8');
      const n = requests.length + 1;
      const status = respond(n, body);
      const r = { n, headers: req.headers, body, status, receivedAt };
      requests.push(r);
      onRequest?.(r);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    });
  });
  server.on('connection', (s) => s.setNoDelay(true));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
