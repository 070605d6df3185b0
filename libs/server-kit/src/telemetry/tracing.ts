/**
 * OpenTelemetry traces, on only when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): HTTP in and out
 * (instrumentation-http), PostgreSQL statements (instrumentation-pg) and the MQTT hops (spans
 * the apps open with `mqttSpan`), exported over OTLP/HTTP in batches. Without an endpoint
 * nothing is loaded or patched and `mqttSpan` runs its function directly: off and free.
 * Call `startTracing` at the top of main.ts, before the app module is built.
 */
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';

let enabled = false;
let shutdown: (() => Promise<void>) | undefined;

export function tracingEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return (
    env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT'] || undefined
  );
}

/** Starts tracing for `service` when an endpoint is configured; returns whether it did. */
export function startTracing(service: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (enabled || !tracingEndpoint(env)) return enabled;
  // Loaded only here, so a process without an endpoint never pays for the SDK.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } =
    require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': env['OTEL_SERVICE_NAME'] || `iotmon-${service}`,
      'service.instance.id': env['POD_NAME'] || `${process.pid}`,
    }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 1_000 }),
    ],
  });
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        // Scrapes and probes would be most of the spans and say nothing.
        ignoreIncomingRequestHook: (req) => /^\/(metrics|health)/.test(req.url ?? ''),
      }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  // Core modules loaded before this call are patched when next required; require them now so
  // the servers and clients created later are instrumented whatever was imported first.
  require('node:http');
  require('node:https');
  try {
    require('pg');
  } catch {
    // an app without PostgreSQL (the edge)
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  enabled = true;
  shutdown = () => provider.shutdown();
  return true;
}

/** Flushes and stops the exporter (on shutdown, so the last spans are sent). */
export async function stopTracing(): Promise<void> {
  await shutdown?.();
  enabled = false;
  shutdown = undefined;
}

export interface MqttSpanOptions {
  kind: 'publish' | 'receive';
  topic: string;
  /** W3C trace context carried by the message (MQTT v5 user properties or the payload). */
  carrier?: Record<string, unknown>;
  attributes?: Record<string, string | number>;
}

/**
 * Runs `fn` inside a span for one MQTT hop (`publish <topic>` as PRODUCER, `receive <topic>`
 * as CONSUMER, the parent taken from `carrier`). The topic's device segment is replaced by `+`
 * in the span name so names stay few. A no-op wrapper when tracing is off.
 */
export function mqttSpan<T>(options: MqttSpanOptions, fn: (span?: Span) => T): T {
  if (!enabled) return fn();
  const name = `${options.kind} ${options.topic.replace(/^env\/[^/]+\//, 'env/+/')}`;
  const parent = options.carrier
    ? propagation.extract(context.active(), options.carrier)
    : context.active();
  const kind = options.kind === 'publish' ? SpanKind.PRODUCER : SpanKind.CONSUMER;
  return inSpan(name, kind, parent, fn, {
    'messaging.system': 'mqtt',
    'messaging.destination.name': options.topic,
    'messaging.operation.type': options.kind === 'publish' ? 'send' : 'receive',
    ...options.attributes,
  });
}

/**
 * A span for a PostgreSQL statement that instrumentation-pg does not see (COPY through
 * pg-copy-streams is a stream, not a query), named as that instrumentation names its own.
 */
export function pgSpan<T>(statement: string, fn: () => T): T {
  if (!enabled) return fn();
  const verb = statement.trim().split(/\s+/)[0].toUpperCase();
  return inSpan(`pg.query:${verb}`, SpanKind.CLIENT, context.active(), fn, {
    'db.system': 'postgresql',
    'db.statement': statement,
  });
}

function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  fn: (span?: Span) => T,
  attributes: Record<string, string | number>,
): T {
  const span = trace.getTracer('iotmon').startSpan(name, { kind, attributes }, parent);
  const end = (error?: unknown) => {
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
    span.end();
  };
  return context.with(trace.setSpan(parent, span), () => {
    try {
      const out = fn(span);
      if (out instanceof Promise) {
        return out.then(
          (v) => (end(), v),
          (e: unknown) => {
            end(e);
            throw e;
          },
        ) as T;
      }
      end();
      return out;
    } catch (e) {
      end(e);
      throw e;
    }
  });
}

/** The current trace context as W3C headers (`traceparent`), to put on an outgoing message. */
export function traceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (enabled) propagation.inject(context.active(), carrier);
  return carrier;
}
