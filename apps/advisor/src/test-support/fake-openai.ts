/**
 * A local OpenAI-compatible chat completions server (real HTTP, the real wire format) with
 * scripted replies: tool calls, answers, errors or silence. It keeps every request body.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Script =
  | { toolCalls: { name: string; args: Record<string, unknown> }[] }
  | { answer: string }
  | { status: number }
  | { hang: true };

export interface FakeOpenAi {
  url: string;
  bodies: string[];
  script(...replies: Script[]): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const bodies: string[] = [];
  let queue: Script[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      bodies.push(raw);
      if (req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const step = queue.shift() ?? { status: 500 };
      if ('hang' in step) return; // never answers: the client's timeout must fire
      if ('status' in step) {
        res
          .writeHead(step.status, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
        return;
      }
      const model = (JSON.parse(raw) as { model: string }).model;
      const message =
        'answer' in step
          ? { role: 'assistant', content: step.answer }
          : {
              role: 'assistant',
              content: null,
              tool_calls: step.toolCalls.map((c) => ({
                id: `call_${++n}`,
                type: 'function',
                function: { name: c.name, arguments: JSON.stringify(c.args) },
              })),
            };
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${++n}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model,
          choices: [{ index: 0, message, finish_reason: 'answer' in step ? 'stop' : 'tool_calls' }],
          usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 },
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    bodies,
    script: (...replies) => (queue = replies),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
