/**
 * Builds a Nest app on Fastify the same way for every app (main.ts and tests alike): the
 * correlation id as the request id and response header, the HTTP histogram, shutdown hooks
 * bounded in time.
 */
import type { IncomingMessage } from 'node:http';
import { type DynamicModule, type LogLevel, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { loggingModule } from '../logging/logging';
import { HttpMetrics } from '../metrics/http-metrics';
import { CORRELATION_HEADER, correlationIdOf } from './correlation';

export interface ServerAppOptions {
  /** Largest request body in bytes (Fastify's default is 1 MiB); larger ones get a 413. */
  bodyLimit?: number;
  /** Fastify's rewriteUrl (the api's Gin routes map their list path). */
  rewriteUrl?: (req: IncomingMessage) => string;
  /** false silences the logger (tests); a list of levels keeps Nest's plain text logger. */
  logger?: boolean | LogLevel[];
  /** Fastify's trustProxy: how the client IP is read behind a proxy (AuthConfig.trustProxy). */
  trustProxy?: boolean | number;
  /**
   * Runs on the new app before anything registers a route (the authorization matrix tests
   * collect the routes there).
   */
  prepare?: (app: NestFastifyApplication) => void;
  /** The app's name in its JSON log lines; without it Nest's own logger is used. */
  app?: string;
  /** Where the JSON lines go instead of stdout (tests read them). */
  logDestination?: DestinationStream;
  /** Longest a shutdown on SIGTERM or SIGINT may take before the process exits (15 s). */
  shutdownDeadlineMs?: number;
}

/** The Fastify adapter every app uses: the request id is the (sanitised) correlation id. */
export function createFastifyAdapter(options: ServerAppOptions = {}): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: options.bodyLimit,
    rewriteUrl: options.rewriteUrl,
    trustProxy: options.trustProxy,
    genReqId: correlationIdOf,
    // Fastify's own request log would be one line per request; Nest logs what matters.
    logger: false,
  });
}

export async function createServerApp(
  module: Type<unknown> | DynamicModule,
  options: ServerAppOptions = {},
): Promise<NestFastifyApplication> {
  const { logger = true } = options;
  const structured = logger === true && options.app !== undefined;
  const root = structured
    ? {
        module: class StructuredLogs {},
        imports: [
          module,
          loggingModule({ app: options.app!, destination: options.logDestination }),
        ],
      }
    : module;
  const app = await NestFactory.create<NestFastifyApplication>(
    root,
    createFastifyAdapter(options),
    structured
      ? { bufferLogs: true }
      : { logger: logger === true ? ['log', 'warn', 'error'] : logger },
  );
  if (structured) app.useLogger(app.get(PinoNestLogger));
  options.prepare?.(app);
  const fastify = app.getHttpAdapter().getInstance();
  const http = app.get(HttpMetrics, { strict: false });
  fastify.addHook('onRequest', async (req, reply) => {
    void reply.header(CORRELATION_HEADER, req.id);
  });
  fastify.addHook('onResponse', async (req, reply) => {
    http.duration.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.enableShutdownHooks();
  // Kubernetes' default grace period is 30 s: end well within it.
  boundShutdown(app, options.shutdownDeadlineMs ?? 15_000);
  return app;
}

/**
 * A SIGTERM or SIGINT ends the process within `deadlineMs` even if a shutdown hook
 * hangs (a peer that went away mid-close): what the hooks did by then is all that is done.
 * The watch ends with the app, so a closed app leaves the signals' default behaviour alone.
 */
function boundShutdown(app: NestFastifyApplication, deadlineMs: number): void {
  const signals = ['SIGTERM', 'SIGINT'] as const;
  const stopWatching = () => signals.forEach((s) => process.off(s, onSignal));
  // Off at once: Nest re-raises the signal when its hooks are done, and that must end the process.
  const onSignal = (signal: NodeJS.Signals) => {
    stopWatching();
    setTimeout(() => {
      console.error(`shutdown took over ${deadlineMs} ms after ${signal}; exiting`);
      process.exit(1);
    }, deadlineMs).unref();
  };
  for (const s of signals) process.on(s, onSignal);
  const close = app.close.bind(app);
  app.close = () => {
    stopWatching();
    return close();
  };
}
