import swagger from '@fastify/swagger';
import rateLimit from '@fastify/rate-limit';
import swaggerUi from '@fastify/swagger-ui';
import { AppError, type JobKind, jobKinds } from '@kiln/contracts';
import { createDb, createSqlPool } from '@kiln/db';
import { KilnQueues, KilnSchedules } from '@kiln/queue';
import { bullmqTelemetry, KilnMetrics, type ServerSpan, type SubmitOutcome, startServerSpan } from '@kiln/telemetry';
import { z } from 'zod';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiContext } from './context.js';
import { EventHub } from './events/hub.js';
import { type WebhookOptions, WebhookService } from './events/webhooks.js';
import { ExistsCache } from './exists-cache.js';
import { GroupCommit } from './group-commit.js';
import { createOnlineService } from './online/service.js';
import { type AuthOptions, registerAuth } from './auth.js';
import { errorHandler } from './http-errors.js';
import { startReconciler } from './reconciler.js';
import { startPipelineAdvancer } from './pipelines/advancer.js';
import { advanceTunes } from './tunes/advancer.js';
import { fireSchedule, syncSchedulers } from './schedules/schedules.js';
import { startRetention } from './retention.js';
import { transformObject } from './openapi.js';
import { bodyErrorResponses } from './schemas/common.js';
import { datasetRoutes } from './routes/datasets.js';
import { eventRoutes } from './routes/events.js';
import { webhookRoutes } from './routes/webhooks.js';
import { healthRoutes } from './routes/health.js';
import { jobRoutes } from './routes/jobs.js';
import { metricsRoutes } from './routes/metrics.js';
import { modelRoutes } from './routes/models.js';
import { modelFileRoutes } from './routes/model-files.js';
import { onlineRoutes } from './routes/online.js';
import { keyRoutes } from './routes/keys.js';
import { queueRoutes } from './routes/queues.js';
import { quboRoutes } from './routes/qubo.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { scheduleRoutes } from './routes/schedules.js';
import { tuneRoutes } from './routes/tunes.js';
import { workerRoutes } from './routes/workers.js';
import { UploadBody } from './schemas/upload.js';

/**
 * Fastify's request lines at debug instead of info: a line per request costs more than the request
 * itself at thousands of submits a second (issue 10). Failed requests are still logged at error
 * (the error handler logs every 5xx with its cause).
 */
class RequestsAtDebug extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, _request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ err: error, statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request errored');
    else reply.log.debug({ statusCode: reply.statusCode, ms: reply.elapsedTime }, 'request completed');
  }
}

function headerValidator(schema: z.ZodObject) {
  const declared = Object.entries(schema.shape as Record<string, z.ZodType>);
  return (data: unknown) => {
    const headers = data as Record<string, unknown>;
    for (const [name, check] of declared) {
      const r = check.safeParse(headers[name]);
      if (!r.success) {
        // The shape the zod provider gives its own failures, so the error handler names the field the same way.
        const error = r.error.issues.map((i) => ({
          [Symbol.for('ZodFastifySchemaValidationError')]: true,
          keyword: i.code,
          instancePath: `/${[name, ...i.path].join('/')}`,
          schemaPath: `#/${name}/${i.code}`,
          message: i.message,
          params: {},
        }));
        return { error: error as unknown as Error };
      }
    }
    return { value: headers };
  };
}

export interface ApiOptions {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix?: string;
  /** pino options, or false for no logs (tests); `stream` writes the JSON lines there instead of stdout. */
  logger?: boolean | { level: string; stream?: NodeJS.WritableStream };
  bodyLimitBytes?: number;
  uploadLimitBytes?: number;
  quboMaxN?: number;
  quboMaxTerms?: number;
  /** Memory one ssm.train job may use on a worker-ssm (MB, default 4096): a job estimated above it is refused at submit. */
  ssmMemoryMb?: number;
  /** API keys (on by default; see auth.ts). */
  auth?: AuthOptions;
  /** Requests per minute per API key (default 600,000: a guard against runaway clients, not a quota). */
  rateLimitPerMinute?: number;
  /** The ledger's reconciler (reconciler.ts): main.ts runs it; off unless given. */
  reconcile?: { intervalMs?: number; graceMs?: number };
  /**
   * Pipelines, tunes and schedules (docs/adr/0018, 0022), on by default: the advancer of pipelines
   * and tunes (one replica at a time, under a Redis lock; a pass every `advanceIntervalMs`, default
   * 500) and a consumer of the schedules' firings. `false`: none runs here (the routes still answer).
   */
  flows?: false | { advanceIntervalMs?: number };
  /** Retention of finished jobs (retention.ts): deleted after `days`, from Postgres and BullMQ; off unless given. */
  retention?: { days: number; intervalMs?: number };
  /**
   * Record trace spans (a tracer provider is registered: @kiln/telemetry's startTracing, main.ts
   * when an OTLP endpoint is set): a span per request, and the submitted jobs carry its context to
   * the workers through BullMQ. Off: no span is made.
   */
  tracing?: boolean;
  /** Webhooks and job callbacks (events/webhooks.ts): addresses allowed, attempts, backoff; `deliver: false` runs no dispatcher or delivery worker here. */
  webhooks?: WebhookOptions;
  /** The heartbeat of event streams (default 15 s): a comment line, and an ended job's stream checks its row. */
  eventHeartbeatMs?: number;
}

const submitEndpoints = new Map<string | undefined, 'single' | 'batch'>([
  ['/v1/jobs', 'single'],
  ['/v1/jobs/batch', 'batch'],
]);
const knownKinds = new Set<string>(jobKinds);
const kindOf = (item: unknown): JobKind | 'unknown' => {
  const kind = (item as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && knownKinds.has(kind) ? (kind as JobKind) : 'unknown';
};

/** The `kind` label of a submit: the body's kind; a batch's one kind, or `mixed` (`unknown` when the body names none). */
function submitKind(body: unknown, endpoint: 'single' | 'batch'): string {
  if (endpoint === 'single') return kindOf(body);
  const items = (body as { jobs?: unknown } | null)?.jobs;
  const kinds = new Set(Array.isArray(items) ? items.map(kindOf) : []);
  kinds.delete('unknown');
  return kinds.size === 0 ? 'unknown' : kinds.size === 1 ? ([...kinds][0] as string) : 'mixed';
}

function submitOutcome(status: number): SubmitOutcome {
  if (status === 201) return 'accepted';
  if (status === 200) return 'duplicate';
  return status < 500 ? 'rejected' : 'error';
}

/** Requests without a span: probes and scrapes (a span each would bury the rest). */
const untraced = (route: string | undefined) => route === '/healthz' || route === '/readyz' || route === '/metrics' || route?.startsWith('/docs') === true;

/** The path of the first string holding a NUL character in a parsed JSON body, or null. */
function nulPath(value: unknown, path: string, depth: number): string | null {
  // A NUL or a lone UTF-16 surrogate cannot be stored in Postgres text or jsonb.
  if (typeof value === 'string') return value.includes('\0') || !(value as string & { isWellFormed(): boolean }).isWellFormed() ? path : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'number') continue;
      const hit = nulPath(v, path ? `${path}.${i}` : String(i), depth + 1);
      if (hit !== null) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (k.includes('\0') || !(k as string & { isWellFormed(): boolean }).isWellFormed()) return at;
    const hit = nulPath(v, at, depth + 1);
    if (hit !== null) return hit;
  }
  return null;
}

/** Secrets never reach the logs. */
export const logRedactions = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'headers.authorization', 'headers.cookie'];

/** Builds the producer API (not listening). `app.close()` closes its Postgres and Redis connections. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const level = options.logger === undefined || options.logger === false ? undefined : options.logger === true ? 'info' : options.logger.level;
  const stream = typeof options.logger === 'object' ? options.logger.stream : undefined;
  const app = Fastify({
    logger: level === undefined ? false : { level, redact: { paths: logRedactions, censor: '[redacted]' }, ...(stream ? { stream } : {}) },
    bodyLimit: options.bodyLimitBytes ?? 1 << 20,
    logController: new RequestsAtDebug(),
    // The router's own refusals (a bad percent-escape, an over-long parameter) in Kiln's error shape;
    // parameters may be long enough for the routes' own `max` checks to name them.
    routerOptions: { maxParamLength: 2048 },
    frameworkErrors: (error, _req, reply) => {
      const body = {
        error: { code: 'KILN_ERR_VALIDATION', message: `malformed URL: ${error.message}`, details: { issues: [{ field: 'url', message: error.message }] } },
      };
      void (reply as unknown as { code(n: number): { header(k: string, v: string): { send(b: string): void } } })
        .code(400)
        .header('content-type', 'application/json; charset=utf-8')
        .send(JSON.stringify(body));
    },
    // Node answers an oversized header block itself (431) before Fastify sees the request: in Kiln's error shape.
    clientErrorHandler: (err, socket) => {
      const code = (err as NodeJS.ErrnoException).code;
      const [status, body] =
        code === 'HPE_HEADER_OVERFLOW'
          ? [431, { error: { code: 'KILN_ERR_HEADERS_TOO_LARGE', message: 'the request headers are larger than the server accepts (16 KiB)' } }]
          : [400, { error: { code: 'KILN_ERR_VALIDATION', message: `malformed HTTP request: ${err.message}` } }];
      if (socket.writable) {
        const text = JSON.stringify(body);
        socket.end(
          `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
        );
      } else socket.destroy();
    },
  }).withTypeProvider<ZodTypeProvider>();
  if (options.tracing) {
    // A server span per request, active from the handler on: the submit's queue write (BullMQ's
    // producer span) and through it the worker's spans join the request's trace.
    const spans = new WeakMap<FastifyRequest, ServerSpan>();
    app.addHook('onRequest', (req, _reply, done) => {
      const route = req.routeOptions.url;
      if (!untraced(route)) spans.set(req, startServerSpan({ method: req.method, route, path: req.url.split('?')[0] ?? req.url, headers: req.headers }));
      done();
    });
    app.addHook('preHandler', (req, _reply, done) => {
      const span = spans.get(req);
      if (span) span.run(done);
      else done();
    });
    app.addHook('onError', (req, _reply, error, done) => {
      spans.get(req)?.recordError(error);
      done();
    });
    app.addHook('onResponse', (req, reply, done) => {
      spans.get(req)?.end(reply.statusCode);
      done();
    });
  }
  // Every route declares its schemas in zod (the zod type provider): they validate requests (a
  // failure is a 400 naming each field), serialise responses and make the OpenAPI document.
  // Uploads are streamed: their body schema only documents them.
  app.setValidatorCompiler((route) => {
    if (route.schema === UploadBody) return (data: unknown) => ({ value: data });
    // Headers: check the declared ones in place, without copying every header of every request.
    if (route.httpPart === 'headers' && route.schema instanceof z.ZodObject) return headerValidator(route.schema);
    return validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);
  });
  app.setSerializerCompiler(serializerCompiler);
  const sql = createSqlPool({ url: options.databaseUrl });
  const queues = new KilnQueues({
    redisUrl: options.redisUrl,
    prefix: options.queuePrefix ?? 'kiln',
    ...(options.tracing ? { telemetry: bullmqTelemetry() } : {}),
    ...(options.retention ? { retentionDays: options.retention.days } : {}),
  });
  const metrics = new KilnMetrics({
    service: 'api',
    onQueueReadError: (err) => app.log.warn({ err }, 'metrics: the queue counts could not be read from Redis'),
  });
  metrics.watchQueues(() => queues.info());
  // Submit latency, observed as each submit is answered.
  app.addHook('onResponse', (req, reply, done) => {
    const endpoint = req.method === 'POST' ? submitEndpoints.get(req.routeOptions.url) : undefined;
    if (endpoint) metrics.submitted(submitKind(req.body, endpoint), submitOutcome(reply.statusCode), endpoint, reply.elapsedTime / 1000);
    done();
  });
  const db = createDb({ url: options.databaseUrl });
  const online = createOnlineService({ db, redis: queues.redis, prefix: options.queuePrefix ?? 'kiln', log: app.log });
  const ctx: ApiContext = {
    db,
    sql,
    queues,
    commits: new GroupCommit(sql, queues),
    exists: new ExistsCache(),
    events: {
      hub: new EventHub(queues.events, options.redisUrl, (err) => app.log.warn({ err }, 'event hub: reading the job event log failed')),
      streams: new Set(),
      heartbeatMs: options.eventHeartbeatMs ?? 15_000,
    },
    webhooks: new WebhookService({
      redis: queues.redis,
      redisUrl: options.redisUrl,
      prefix: options.queuePrefix ?? 'kiln',
      sql,
      log: app.log,
      ...options.webhooks,
    }),
    limits: {
      uploadBytes: options.uploadLimitBytes ?? 256 << 20,
      quboMaxN: options.quboMaxN ?? 100_000,
      quboMaxTerms: options.quboMaxTerms ?? 5_000_000,
      ssmMemoryBytes: (options.ssmMemoryMb ?? 4096) * 2 ** 20,
    },
    metricsRequireKey: options.auth?.metricsRequireKey ?? false,
    forgetKey: () => undefined,
    schedules: new KilnSchedules({ redisUrl: options.redisUrl, prefix: options.queuePrefix ?? 'kiln', connection: queues.redis }),
    kickPipelines: () => undefined,
    online,
  };
  let stopAdvancer = async (): Promise<void> => undefined;
  if (options.flows !== false) {
    const advancer = startPipelineAdvancer(ctx, {
      log: app.log,
      ...(options.flows?.advanceIntervalMs ? { intervalMs: options.flows.advanceIntervalMs } : {}),
      // Tunes (docs/adr/0022) are advanced in the same pass, under the same lock.
      passes: [() => advanceTunes(ctx, app.log)],
      // Every 30 s the replica that advances also puts back a schedule's timer that Redis lost.
      periodic: { everyMs: 30_000, run: () => syncSchedulers(ctx) },
    });
    ctx.kickPipelines = advancer.kick;
    ctx.schedules.consume((firing) => fireSchedule(ctx, firing, app.log), { onError: (err) => app.log.warn({ err }, 'schedule firing failed (retried)') });
    // A Redis that lost its data gets the active schedules' timers back.
    void syncSchedulers(ctx).catch((err) => app.log.warn({ err }, 'schedules: could not re-create the schedulers'));
    stopAdvancer = advancer.stop;
  }
  const stopReconciler = options.reconcile ? startReconciler({ pool: sql, queues, log: app.log, ...options.reconcile }) : async () => undefined;
  const stopRetention = options.retention ? startRetention({ db: ctx.db, queues, log: app.log, ...options.retention }) : async () => undefined;
  await ctx.webhooks.start();
  // Open event streams end first: the server's close waits for its connections.
  app.addHook('preClose', async () => {
    for (const s of [...ctx.events.streams]) s.end();
    await ctx.events.hub.close();
  });
  app.addHook('onClose', async () => {
    await ctx.webhooks.close();
    await stopReconciler();
    await stopAdvancer();
    await ctx.schedules.close();
    await stopRetention();
    await online.close();
    await ctx.queues.close();
    await ctx.db.$disconnect();
    await ctx.sql.end();
  });
  app.setErrorHandler(errorHandler);
  app.decorate('uploadLimitBytes', ctx.limits.uploadBytes);
  // A NUL byte cannot be stored in Postgres text: refused here, as a 400 naming where it is.
  app.addHook('onRequest', async (req) => {
    if (req.url.includes('%00') || req.url.includes('\0'))
      throw new AppError('KILN_ERR_VALIDATION', 'the URL contains a NUL byte (%00)', {
        details: { issues: [{ field: 'url', message: 'contains a NUL byte' }] },
      });
  });
  app.addHook('preValidation', async (req) => {
    if (req.body && typeof req.body === 'object' && !(req.body as { pipe?: unknown }).pipe) {
      const at = nulPath(req.body, '', 0);
      if (at !== null)
        throw new AppError('KILN_ERR_VALIDATION', `${at || '(body)'}: contains a NUL character or a lone UTF-16 surrogate`, {
          details: { issues: [{ field: at, message: 'contains a NUL character or a lone UTF-16 surrogate' }] },
        });
    }
  });
  // `Expect: 100-continue` (curl, for large uploads): a body that is declared too large is refused before the client sends it.
  app.server.on('checkContinue', (req, res) => {
    const upload = req.method === 'POST' && /^\/v1\/(datasets|qubo\/problems)(\?|$)/.test(req.url ?? '');
    const limit = upload ? ctx.limits.uploadBytes : (options.bodyLimitBytes ?? 1 << 20);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      const text = JSON.stringify({
        error: { code: 'KILN_ERR_BODY_TOO_LARGE', message: `the body is larger than the limit of ${limit} bytes`, details: { limit } },
      });
      res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), connection: 'close' });
      res.end(text);
      return;
    }
    res.writeContinue();
    app.server.emit('request', req, res);
  });
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ error: { code: 'KILN_ERR_NOT_FOUND', message: `no route ${req.method} ${req.url}` } });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kiln API',
        version: '0.1.0',
        description:
          'Submit Mamba4Rec training and scoring jobs and QUBO annealing jobs; read their results. Errors are `{ error: { code, message, details? } }` (docs/errors.md).',
        license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`kiln keys create`): `Authorization: Bearer <key>`.' } },
      },
      // Every operation needs a key but health, readiness and (by default) metrics.
      security: [{ apiKey: [] }],
      tags: [
        { name: 'jobs', description: 'Submit, watch, cancel and retry jobs of every kind.' },
        { name: 'pipelines', description: 'Jobs run one after another (train, then score with the new model).' },
        { name: 'schedules', description: 'Jobs and pipelines submitted on a cron expression or every N milliseconds.' },
        { name: 'tunes', description: 'Hyperparameter search: ssm.train trials over named fields, the best model picked on validation NDCG@10.' },
        { name: 'datasets', description: 'Interaction logs for training.' },
        { name: 'ssm', description: 'Mamba4Rec models, training epochs and recommendations.' },
        { name: 'qubo', description: 'QUBO problems and the solutions found.' },
        { name: 'queues', description: 'The BullMQ queues behind the job kinds.' },
        { name: 'health', description: 'Liveness, readiness and metrics.' },
        { name: 'auth', description: 'Who is calling, and API keys.' },
        { name: 'webhooks', description: "Signed POSTs of a key's jobs' state changes, retried with backoff, every attempt logged." },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const auth = registerAuth(app, ctx, options.auth ?? {});
  ctx.forgetKey = auth.forget;
  // Per key (or per address before one is known), counted in Redis so replicas share the limit.
  await app.register(rateLimit, {
    global: true,
    max: options.rateLimitPerMinute ?? 600_000,
    timeWindow: 60_000,
    redis: ctx.queues.redis,
    nameSpace: `${options.queuePrefix ?? 'kiln'}:ratelimit:`,
    skipOnError: true,
    keyGenerator: (req) => req.principal?.id ?? req.ip,
    errorResponseBuilder: (_req, c) => new AppError('KILN_ERR_RATE_LIMITED', `rate limit of ${c.max} requests a minute reached; retry in ${c.after}`),
  });

  // Every POST reads a body, and so does a DELETE sent with one: it may be too large (413) or of a type the route does not take (415).
  app.addHook('onRoute', (route) => {
    const response = (route.schema as { response?: Record<string, unknown> } | undefined)?.response;
    if ((route.method === 'POST' || route.method === 'DELETE') && response) Object.assign(response, { ...bodyErrorResponses(), ...response });
  });

  const routes = { ctx };
  await app.register(healthRoutes, routes);
  await app.register(metricsRoutes, { ...routes, metrics });
  await app.register(datasetRoutes, routes);
  await app.register(quboRoutes, routes);
  await app.register(jobRoutes, routes);
  await app.register(pipelineRoutes, routes);
  await app.register(scheduleRoutes, routes);
  await app.register(tuneRoutes, routes);
  await app.register(modelRoutes, routes);
  await app.register(modelFileRoutes, routes);
  await app.register(onlineRoutes, routes);
  await app.register(queueRoutes, routes);
  await app.register(workerRoutes, routes);
  await app.register(keyRoutes, routes);
  await app.register(eventRoutes, routes);
  await app.register(webhookRoutes, routes);
  return app;
}
