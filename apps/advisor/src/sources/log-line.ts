/**
 * One log line of the stack as the detectors see it. Accepts pino/Nest JSON lines
 * ({"level":50,"time":…,"msg":…,"app":…}) and the `[app] text` lines `npm start` prints.
 */
import type { LogLine } from '../detectors';

const PINO_LEVELS: Record<number, LogLine['level']> = {
  10: 'debug',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const WORDS = /\b(fatal|error|warn(?:ing)?|debug)\b/i;

export function parseLogLine(raw: string, now = Date.now()): LogLine | undefined {
  const line = raw.trim();
  if (!line) return undefined;
  if (line.startsWith('{')) {
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      const lv = j['level'];
      const level =
        typeof lv === 'number'
          ? (PINO_LEVELS[lv] ?? 'info')
          : typeof lv === 'string'
            ? normalise(lv)
            : 'info';
      const t = j['time'] ?? j['ts'] ?? j['timestamp'];
      const ts = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : now;
      const app = String(j['app'] ?? j['name'] ?? j['service'] ?? j['context'] ?? 'unknown');
      return {
        ts: Number.isFinite(ts) ? ts : now,
        app,
        level,
        msg: String(j['msg'] ?? j['message'] ?? line),
      };
    } catch {
      /* not JSON after all: fall through */
    }
  }
  const m = line.match(/^\[([a-z0-9_-]+)\]\s?(.*)$/i);
  const app = m ? m[1] : 'unknown';
  const msg = m ? m[2] : line;
  const w = msg.match(WORDS);
  return { ts: now, app, level: w ? normalise(w[1]) : 'info', msg };
}

function normalise(s: string): LogLine['level'] {
  const l = s.toLowerCase();
  if (l.startsWith('warn')) return 'warn';
  if (l === 'error' || l === 'fatal' || l === 'debug') return l;
  return 'info';
}
