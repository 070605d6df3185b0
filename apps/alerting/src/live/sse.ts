/** Server-Sent Events framing (text/event-stream). */

export function sseFrame(event: string, data: string, id?: string): string {
  // `data` is single-line JSON; a newline inside would need one `data:` line per line.
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;
}

export const SSE_HEARTBEAT = ': keep-alive\n\n';
