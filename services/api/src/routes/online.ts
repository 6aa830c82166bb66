import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import type { OnlineQuery } from '../online/types.js';
import { errorResponses } from '../schemas/common.js';

/** No control characters (C0, DEL, C1): a user id lands in Redis keys and in logs. */
const noControl = /^[^\p{Cc}]*$/u;

const UserParams = z.object({
  id: z.string().min(1).max(100).describe('The model.'),
  user: z
    .string()
    .min(1)
    .max(200)
    .regex(noControl, 'must not contain control characters')
    .describe("The user's external id: one of the model's dataset, or any new one."),
});

const kDescription = 'How many items to answer (default 10).';
const excludeSeenDescription = "Leave out items already in the user's history (default true).";

const OnlineRecommendations = z
  .object({
    modelId: z.string(),
    user: z.string(),
    events: z.number().int().describe("Events in the user's state: the history primed from the dataset plus the events posted since."),
    version: z
      .number()
      .int()
      .describe(
        "The state's version: 0 for a user with no state, +1 per applied POST (concurrent POSTs for one user get distinct versions in the order applied).",
      ),
    items: z
      .array(z.object({ item: z.string().describe("The item's external id."), score: z.number() }))
      .describe('Best first; empty for a user with no events.'),
  })
  .meta({ id: 'OnlineRecommendations' });

const EventsBody = z
  .object({
    items: z.array(z.string().min(1).max(200)).min(1).max(1000).describe("The user's new events, oldest first: external item ids of the model's dataset."),
    k: z.number().int().min(1).max(1000).optional().describe(kDescription),
    excludeSeen: z.boolean().optional().describe(excludeSeenDescription),
  })
  .meta({ id: 'UserEvents' });

const RecommendationsQuery = z.object({
  k: z.coerce.number().int().min(1).max(1000).default(10).describe(kDescription),
  excludeSeen: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe(excludeSeenDescription),
});

export const onlineRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/models/:id/users/:user/events',
    {
      schema: {
        tags: ['ssm'],
        operationId: 'postUserEvents',
        summary: "Add events to a user's online state and answer the updated top-K",
        description:
          "One step of the model per event from the user's stored recurrent state (a new user starts from their history in the model's dataset, if any), saved atomically: concurrent POSTs for one user are applied one after another, each with its own `version`. " +
          'An item the dataset does not have is a 400 KILN_ERR_ITEM_UNKNOWN naming the first (`details.field`: `items[i]`), and nothing is applied.',
        params: UserParams,
        body: EventsBody,
        response: { 200: OnlineRecommendations, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const { id, user } = req.params;
      const query: OnlineQuery = { k: req.body.k ?? 10, excludeSeen: req.body.excludeSeen ?? true };
      return ctx.online.postEvents(id, user, req.body.items, query);
    },
  );

  app.get(
    '/v1/models/:id/users/:user/recommendations',
    {
      schema: {
        tags: ['ssm'],
        operationId: 'getUserRecommendations',
        summary: "A user's current online top-K",
        description:
          "Read from the user's stored recurrent state (no model step). A user with no stored state starts from their history in the model's dataset, if any; otherwise the answer is `events: 0`, `version: 0` and no items.",
        params: UserParams,
        querystring: RecommendationsQuery,
        response: { 200: OnlineRecommendations, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const { id, user } = req.params;
      return ctx.online.recommendations(id, user, { k: req.query.k, excludeSeen: req.query.excludeSeen });
    },
  );
};
