import type { KilnMetrics } from '@kiln/telemetry';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { errorResponses, publicErrorResponses } from '../schemas/common.js';

/**
 * Prometheus metrics (@kiln/telemetry): submit latency observed as submits are answered, queue
 * depths read from BullMQ at scrape time (one read per queue), and the process metrics.
 */
export const metricsRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext; metrics: KilnMetrics }> = async (app, { ctx, metrics }) => {
  const open = !ctx.metricsRequireKey;
  const metricsSchema = {
    tags: ['health'],
    ...(open ? { security: [] } : {}),
    operationId: 'metrics',
    summary: 'Prometheus metrics',
    description:
      'Submit latency (`kiln_submit_duration_seconds{kind,outcome,endpoint}`), queue depths read from BullMQ at each scrape (`kiln_queue_jobs{queue,state}`, `kiln_queue_paused{queue}`) and the process metrics, each series labelled `service="api"`. Job run times, queue waits and result writes are measured by the workers, on their own `/metrics` (`KILN_METRICS_PORT`).',
    response: {
      200: { description: 'The Prometheus text exposition format.', content: { 'text/plain': { schema: z.string() } } },
      ...(open ? publicErrorResponses() : errorResponses()),
    },
  };
  app.get('/metrics', { config: { auth: open ? 'none' : 'read', rateLimit: false }, schema: metricsSchema }, async (_req, reply) =>
    reply.header('content-type', metrics.contentType).send(await metrics.metrics()),
  );
};
