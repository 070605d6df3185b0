/**
 * Structured logs for every app: pino through nestjs-pino's Nest logger adapter. One JSON
 * line per event with `level`, `time`, `app`, `replica`, `msg`, the `context` (the class that
 * logged), `correlationId` inside an HTTP request (the request's sanitised correlation id)
 * and whatever fields the caller adds (`deviceId`, `alarmId`, `correlationId` of an MQTT
 * message ...). Human-readable (pino-pretty) when LOG_FORMAT=pretty, or by default when stdout
 * is a terminal. Requests are logged when they fail (4xx warn, 5xx error), every request
 * with LOG_REQUESTS=true; probes and scrapes never.
 */
import { hostname } from 'node:os';
import type { DynamicModule } from '@nestjs/common';
import { LoggerModule, type Params } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import type { DestinationStream, LevelWithSilent } from 'pino';
import type { Options } from 'pino-http';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface LoggingOptions {
  /** The app's name in every line (`api`, `alerting`, `edge`). */
  app: string;
  /** Where lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
  env?: NodeJS.ProcessEnv;
}

/** This process's name among replicas: the pod name in Kubernetes, else host and pid. */
export function replicaName(env: NodeJS.ProcessEnv = process.env): string {
  return env['POD_NAME'] || `${hostname()}-${process.pid}`;
}

export function loggerParams({ app, destination, env = process.env }: LoggingOptions): Params {
  const level = env['LOG_LEVEL'] || 'info';
  if (!LEVELS.includes(level))
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}, got "${level}"`);
  const format = env['LOG_FORMAT'] || (process.stdout.isTTY && !destination ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty')
    throw new Error(`LOG_FORMAT must be json or pretty, got "${format}"`);
  const allRequests = env['LOG_REQUESTS'] === 'true';
  const stream =
    destination ??
    (format === 'pretty'
      ? // Loaded only when wanted: production lines are JSON.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('pino-pretty') as typeof import('pino-pretty'))({
          colorize: !env['NO_COLOR'] && process.stdout.isTTY,
          ignore: 'pid,hostname,app,replica',
          translateTime: 'SYS:HH:MM:ss.l',
          singleLine: true,
          sync: true,
        })
      : undefined);
  const options: Options = {
    level,
    base: { app, replica: replicaName(env) },
    messageKey: 'msg',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    // Only the correlation id is bound to the lines logged inside a request.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    autoLogging: { ignore: (req) => /^\/(metrics|health)/.test(req.url ?? '') },
    customLogLevel: (_req, res, err): LevelWithSilent => {
      if (err || res.statusCode >= 500) return 'error';
      if (res.statusCode >= 400) return 'warn';
      return allRequests ? 'info' : 'silent';
    },
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie'],
  };
  return { pinoHttp: stream ? [options, stream] : options };
}

export function loggingModule(options: LoggingOptions): DynamicModule {
  return LoggerModule.forRoot(loggerParams(options));
}

/** The correlation id of the HTTP request being handled, if any (for what it publishes). */
export function currentCorrelationId(): string | undefined {
  const bindings = storage.getStore()?.logger.bindings();
  const id = bindings?.['correlationId'];
  return typeof id === 'string' ? id : undefined;
}
