import { type Attributes, type Context, context, propagation, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';

export interface TracingOptions {
  /** `service.name` of every span (api, worker-ssm, worker-qubo). */
  serviceName: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces`. */
  endpoint?: string;
  /** OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: the full URL for spans (wins over `endpoint`). */
  tracesEndpoint?: string;
  /** Processors to use instead of the OTLP exporter (tests: a SimpleSpanProcessor over an InMemorySpanExporter). */
  spanProcessors?: SpanProcessor[];
}

export interface Tracing {
  /** A tracer provider is registered: spans are recorded and exported. */
  readonly enabled: boolean;
  /** Exports what is buffered, then unregisters the provider. */
  shutdown(): Promise<void>;
}

/** The URL spans are sent to, or undefined when tracing is off. */
export function tracesUrl(options: Pick<TracingOptions, 'endpoint' | 'tracesEndpoint'>): string | undefined {
  if (options.tracesEndpoint) return options.tracesEndpoint;
  if (options.endpoint) return `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/**
 * Starts tracing when an OTLP endpoint is given (or span processors, in tests): a Node tracer
 * provider (AsyncLocalStorage context, W3C trace-context propagation) with a batch processor and
 * the OTLP/HTTP exporter, registered as the global provider. Without an endpoint nothing is
 * registered: every span is @opentelemetry/api's no-op and costs nothing. The exporter also reads
 * the standard OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT and _COMPRESSION variables itself.
 */
export function startTracing(options: TracingOptions): Tracing {
  const url = tracesUrl(options);
  if (!url && !options.spanProcessors) return { enabled: false, shutdown: async () => undefined };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: options.spanProcessors ?? [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  provider.register();
  return {
    enabled: true,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}

const tracer = () => trace.getTracer('kiln');

/**
 * BullMQ's `telemetry` option (bullmq-otel): a queue's `add` records a producer span and stores its
 * context in the job, and the worker's `process` span continues that trace.
 */
export function bullmqTelemetry(): Telemetry {
  return new BullMQOtel({ tracerName: 'kiln' });
}

export interface SpanOptions {
  attributes?: Attributes;
  kind?: SpanKind;
  /** Whether a thrown error marks the span failed (default: every error does). */
  isFailure?(error: unknown): boolean;
}

/** Runs `fn` in a span (a child of the active one, active while `fn` runs). A no-op span when tracing is off. */
export function withSpan<T>(name: string, options: SpanOptions, fn: () => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, ...(options.attributes ? { attributes: options.attributes } : {}) },
    async (span) => {
      try {
        return await fn();
      } catch (error) {
        if (options.isFailure?.(error) ?? true) fail(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

function fail(span: Span, error: unknown): void {
  const e = error instanceof Error ? error : new Error(String(error));
  span.recordException(e);
  span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
}

/** The trace context active now (opaque): carry it across a queue of work done later for this caller. */
export type TraceContext = Context;

export function activeTraceContext(): TraceContext {
  return context.active();
}

/** Runs `fn` with `ctx` as the active trace context. */
export function runInTraceContext<T>(ctx: TraceContext, fn: () => T): T {
  return ctx === ROOT_CONTEXT ? fn() : context.with(ctx, fn);
}

/** The context as a BullMQ job's telemetry metadata (bullmq-otel's format), or undefined when it holds no span. */
export function traceMetadata(ctx: TraceContext): string | undefined {
  if (!trace.getSpan(ctx)) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return JSON.stringify(carrier);
}

/** The span of one HTTP request handled by a server. */
export interface ServerSpan {
  /** Runs `fn` (the rest of the request) with this span active. */
  run<T>(fn: () => T): T;
  /** Records an error thrown while handling the request (the status code decides whether the span failed). */
  recordError(error: unknown): void;
  end(statusCode: number): void;
}

/**
 * Starts the span of an incoming request (kind server, named `METHOD route`), continuing the
 * caller's trace when its headers carry a W3C `traceparent`.
 */
export function startServerSpan(request: {
  method: string;
  route: string | undefined;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}): ServerSpan {
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = tracer().startSpan(
    request.route ? `${request.method} ${request.route}` : request.method,
    {
      kind: SpanKind.SERVER,
      attributes: {
        [ATTR_HTTP_REQUEST_METHOD]: request.method,
        [ATTR_URL_PATH]: request.path,
        ...(request.route ? { [ATTR_HTTP_ROUTE]: request.route } : {}),
      },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  return {
    run: (fn) => context.with(active, fn),
    recordError: (error) => span.recordException(error instanceof Error ? error : new Error(String(error))),
    end(statusCode) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, statusCode);
      if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
