/** A real local webhook receiver: counts deliveries by their `x-iotmon-delivery` id. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export class DeliveryCounter {
  /** Requests per delivery id. */
  readonly byId = new Map<string, number>();
  private server: Server | undefined;
  url = '';

  async listen(): Promise<void> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const id = String(req.headers['x-iotmon-delivery'] ?? 'none');
        this.byId.set(id, (this.byId.get(id) ?? 0) + 1);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
