/** A minimal Server-Sent Events client over node:http, for tests and the bench. */
import { request, type ClientRequest } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  receivedAt: number;
}

export interface SseClient {
  events: SseEvent[];
  /** Resolves when the response headers arrived (the client is registered). */
  ready: Promise<number>;
  close(): void;
}

export function connectSse(
  url: string,
  headers: Record<string, string> = {},
  onEvent?: (e: SseEvent) => void,
): SseClient {
  const events: SseEvent[] = [];
  let req: ClientRequest | undefined;
  const ready = new Promise<number>((resolve, reject) => {
    req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      res.socket.setNoDelay(true);
      resolve(res.statusCode ?? 0);
      res.setEncoding('utf8');
      let buf = '';
      res.on('data', (chunk: string) => {
        buf += chunk;
        let end: number;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          const e: SseEvent = { event: 'message', data: '', receivedAt: Date.now() };
          let hasData = false;
          for (const line of block.split('\n')) {
            const i = line.indexOf(':');
            if (i === 0) continue;
            const field = i < 0 ? line : line.slice(0, i);
            const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
            if (field === 'id') e.id = value;
            else if (field === 'event') e.event = value;
            else if (field === 'data') {
              e.data += (hasData ? '\n' : '') + value;
              hasData = true;
            }
          }
          if (!hasData) continue;
          events.push(e);
          onEvent?.(e);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  return { events, ready, close: () => req?.destroy() };
}
