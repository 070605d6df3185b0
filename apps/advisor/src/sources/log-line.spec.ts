import { parseLogLine } from './log-line';

describe('parseLogLine', () => {
  it('reads pino JSON lines', () => {
    expect(
      parseLogLine('{"level":50,"time":1700000000000,"app":"api","msg":"COPY failed"}'),
    ).toEqual({ ts: 1700000000000, app: 'api', level: 'error', msg: 'COPY failed' });
  });

  it('reads the [app] lines of npm start', () => {
    expect(parseLogLine('[api] [Nest] 12  ERROR [ReadingsWriter] write failed', 5)).toEqual({
      ts: 5,
      app: 'api',
      level: 'error',
      msg: '[Nest] 12  ERROR [ReadingsWriter] write failed',
    });
  });
});
