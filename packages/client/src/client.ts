import createFetchClient, { type Client } from 'openapi-fetch';
import { type DownloadTarget, saveBody } from './download.js';
import { apiErrorOf, KilnApiError, KilnConnectionError } from './errors.js';
import { followJob, type JobEventMessage, readEvents } from './sse.js';
import type { components, operations, paths } from './generated/openapi.js';
import { type UploadProgress, type UploadSource, uploadBody } from './upload.js';

type Schemas = components['schemas'];
export type Job = Schemas['Job'];
export type JobKind = Job['kind'];
export type JobState = Job['state'];
/** One kind's job, with its payload, progress and result typed. */
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;
export type SubmitRequest = Schemas['SubmitJob'];
/** What a kind's `payload` may hold when submitting. */
export type JobRequest<K extends JobKind> = Extract<SubmitRequest, { kind: K }>['payload'];
export type JobOptions = NonNullable<SubmitRequest['options']>;
export type SubmittedJob = Schemas['SubmittedJob'];
/** One job of a batch: a submit request, optionally with its own idempotency key. */
export type BatchItem = Schemas['SubmitBatch']['jobs'][number];
export type SubmittedBatch = Schemas['SubmittedBatch'];
export type Dataset = Schemas['Dataset'];
export type DatasetCreated = Schemas['DatasetCreated'];
export type Model = Schemas['Model'];
export type ModelDetail = Schemas['ModelDetail'];
export type QuboProblem = Schemas['QuboProblem'];
export type QuboProblemsCreated = Schemas['QuboProblemsCreated'];
export type QuboSolution = Schemas['QuboSolution'];
export type QuboSolutionSummary = Schemas['QuboSolutionSummary'];
export type QuboSample = Schemas['QuboSample'];
export type Queue = Schemas['Queue'];
export type ApiKey = Schemas['ApiKey'];
export type Pipeline = Schemas['Pipeline'];
export type PipelineRequest = Schemas['CreatePipeline'];
export type PipelineState = Pipeline['state'];
export type Tune = Schemas['Tune'];
export type TuneRequest = Schemas['CreateTune'];
export type TuneState = Tune['state'];
export type TuneTrial = Schemas['TuneTrial'];
export type Schedule = Schemas['Schedule'];
export type ScheduleRequest = Schemas['CreateSchedule'];
/**
 * A page of a list: `next` is the relative URL of the next page (also the response's `Link`
 * header), `nextCursor` its cursor alone (pass as `cursor`); both null on the last page.
 */
export interface Page<T> {
  items: T[];
  next: string | null;
  nextCursor: string | null;
}
/** The query of a list operation (filters, `limit`, `cursor`). */
export type Query<Op extends keyof operations> = NonNullable<operations[Op]['parameters']['query']>;
type Json<Op extends keyof operations, S extends number> = operations[Op]['responses'] extends Record<S, { content: { 'application/json': infer T } }>
  ? T
  : never;
export type Recommendations = Json<'listRecommendations', 200>['items'];
/** One JSON page of a scoring job's recommendations (the route also answers whole files: exportRecommendations). */
type RecommendationsPage = Json<'listRecommendations', 200>;
export type Epochs = Json<'listEpochs', 200>;
/** A user's online top-K from a model's recurrent state, with the state's event count and version. */
export type OnlineRecommendations = Schemas['OnlineRecommendations'];
/** How an online answer is ranked: `k` items (default 10), leaving out the user's seen items unless `excludeSeen: false`. */
export interface OnlineQuery {
  k?: number;
  excludeSeen?: boolean;
}
export type DatasetFormat = NonNullable<operations['uploadDataset']['parameters']['query']>['format'];
export type QuboFormat = NonNullable<operations['uploadQuboProblems']['parameters']['query']>['format'];

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const terminalStates: readonly JobState[] = ['completed', 'failed', 'cancelled'];

export interface KilnClientOptions {
  /** The API's base URL (default http://127.0.0.1:8080). */
  baseUrl?: string;
  /** An API key (default: the KILN_API_KEY environment variable), sent as `Authorization: Bearer`. */
  apiKey?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

export interface WaitOptions {
  /** Called with the job whenever its state or progress changed (and once at the start); awaited before the next poll. */
  onProgress?: (job: Job) => void | Promise<void>;
  /** Poll period when polling (default 500 ms). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** 'sse' (default): the job's event stream (Last-Event-ID resume; polls when the server does not stream); 'poll': GET every `intervalMs`. */
  transport?: 'sse' | 'poll';
}

/**
 * A typed client for the Kiln API. Every method resolves with the documented response body or
 * throws a KilnApiError (an error response: status, code, message, details) or a
 * KilnConnectionError (the API could not be reached). `http` is the underlying openapi-fetch client,
 * typed by the API's OpenAPI document, for anything the helpers do not cover.
 *
 * ```ts
 * import { createClient, fileSource } from '@kiln/client';
 * const kiln = createClient({ baseUrl: 'http://127.0.0.1:8080' });
 * const problem = await kiln.uploadQuboProblems(await fileSource('G11.txt'), { format: 'gset', name: 'G11' });
 * const { id } = await kiln.submit({ kind: 'qubo.solve', payload: { problemId: problem.id, params: { timeLimitMs: 2000 } } });
 * const job = await kiln.waitFor(id, { onProgress: (j) => console.log(j.state, j.progress) });
 * if (job.kind === 'qubo.solve' && job.result) console.log(job.result.value);
 * ```
 */
export function createClient(options: KilnClientOptions = {}) {
  const baseUrl = (options.baseUrl ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const apiKey = options.apiKey ?? (typeof process !== 'undefined' ? process.env.KILN_API_KEY : undefined);
  const headers: Record<string, string> = { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...options.headers };
  const http: Client<paths> = createFetchClient<paths>({ baseUrl, headers, fetch: fetchImpl });

  /** Runs one openapi-fetch call: its data, or the error it stands for. */
  async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    let r: { data?: T; error?: unknown; response: Response };
    try {
      r = await request;
    } catch (error) {
      if (error instanceof KilnApiError) throw error;
      throw new KilnConnectionError(baseUrl, { cause: error });
    }
    if (!r.response.ok) throw await apiErrorOf(r.response, r.error);
    return r.data as T;
  }

  async function upload<T>(path: string, query: Record<string, string | number | undefined>, source: UploadSource, onProgress?: UploadProgress): Promise<T> {
    const qs = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));
    const { body } = uploadBody(source, onProgress);
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}?${qs}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/octet-stream' },
        body,
        // A streamed request body (Node's fetch needs it said).
        duplex: 'half',
      } as RequestInit);
    } catch (error) {
      throw new KilnConnectionError(baseUrl, { cause: error });
    }
    if (!response.ok) throw await apiErrorOf(response);
    return (await response.json()) as T;
  }

  /** GETs `path` and streams its body into `target`. */
  async function download(path: string, target: DownloadTarget): Promise<number> {
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, { headers });
    } catch (error) {
      throw new KilnConnectionError(baseUrl, { cause: error });
    }
    if (!response.ok) throw await apiErrorOf(response);
    return saveBody(response, target);
  }

  const client = {
    baseUrl,
    http,

    /**
     * Every item of a list, page after page (each page one request, following its cursor):
     * `for await (const d of client.all(client.listDatasets, { limit: 500 }))`.
     */
    async *all<F extends (query: never) => Promise<Page<unknown>>>(
      list: F,
      query: NonNullable<Parameters<F>[0]> = {} as NonNullable<Parameters<F>[0]>,
    ): AsyncGenerator<Awaited<ReturnType<F>>['items'][number]> {
      type Item = Awaited<ReturnType<F>>['items'][number];
      const read = list as unknown as (query: { cursor?: string }) => Promise<Page<Item>>;
      let cursor = (query as { cursor?: string }).cursor;
      do {
        const page = await read({ ...(query as object), ...(cursor ? { cursor } : {}) });
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },

    /** Queues a job; with `idempotencyKey`, the same key and request always give the same job. */
    submit(request: SubmitRequest, opts: { idempotencyKey?: string } = {}): Promise<SubmittedJob> {
      return call(http.POST('/v1/jobs', { body: request, params: { header: opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {} } }));
    },
    /**
     * Queues up to 1,000 jobs in one request, all or nothing: if any item is refused, nothing is
     * queued and the KilnApiError's `details.items` lists each refused item by index.
     */
    submitMany(jobs: BatchItem[]): Promise<SubmittedBatch> {
      return call(http.POST('/v1/jobs/batch', { body: { jobs } }));
    },
    getJob(id: string): Promise<Job> {
      return call(http.GET('/v1/jobs/{id}', { params: { path: { id } } }));
    },
    /** One page of jobs, newest first; `nextCursor` (or `client.all`) for the next. */
    listJobs(query: Query<'listJobs'> = {}): Promise<Page<Job>> {
      return call(http.GET('/v1/jobs', { params: { query } }));
    },
    /** Deletes a finished job with its results (a 409 while it is unfinished: cancel it first). */
    deleteJob(id: string): Promise<void> {
      return call(http.DELETE('/v1/jobs/{id}', { params: { path: { id } } })).then(() => undefined);
    },
    cancelJob(id: string) {
      return call(http.POST('/v1/jobs/{id}/cancel', { params: { path: { id } } }));
    },
    retryJob(id: string) {
      return call(http.POST('/v1/jobs/{id}/retry', { params: { path: { id } } }));
    },
    epochs(id: string): Promise<Epochs> {
      return call(http.GET('/v1/jobs/{id}/epochs', { params: { path: { id } } }));
    },
    recommendations(jobId: string, query: NonNullable<operations['listRecommendations']['parameters']['query']> = {}): Promise<Recommendations> {
      return call(http.GET('/v1/jobs/{id}/recommendations', { params: { path: { id: jobId }, query } })).then((r) => (r as RecommendationsPage).items);
    },
    /** Every user's recommendations of a scoring job, a page at a time (following the pages' cursors). */
    async *allRecommendations(jobId: string, pageSize = 1000): AsyncGenerator<Recommendations[number]> {
      let cursor: string | undefined;
      do {
        const page = (await call(
          http.GET('/v1/jobs/{id}/recommendations', { params: { path: { id: jobId }, query: { limit: pageSize, ...(cursor ? { cursor } : {}) } } }),
        )) as RecommendationsPage;
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    /**
     * Streams every recommendation of a scoring job as a CSV, JSONL or Parquet file into `target`
     * (a path, or a stream such as standard output), in constant memory. Resolves with the bytes written.
     */
    exportRecommendations(jobId: string, format: 'csv' | 'jsonl' | 'parquet', target: DownloadTarget): Promise<number> {
      return download(`/v1/jobs/${encodeURIComponent(jobId)}/recommendations?format=${format}`, target);
    },

    /**
     * Follows a job until it is completed, failed or cancelled, and resolves with it (whatever
     * the outcome: look at `state`). `onProgress` sees every change of state or progress. Follows
     * the job's Server-Sent Events (`GET /v1/jobs/{id}/events`, resumed with Last-Event-ID after a
     * dropped connection), or polls when the server does not stream (see sse.ts).
     */
    async waitFor(id: string, opts: WaitOptions = {}): Promise<Job> {
      try {
        return await followJob<Job>(id, {
          baseUrl,
          headers,
          fetch: fetchImpl,
          getJob: client.getJob,
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          ...(opts.intervalMs !== undefined ? { intervalMs: opts.intervalMs } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.transport ? { transport: opts.transport } : {}),
        });
      } catch (error) {
        if (error instanceof KilnApiError || error instanceof KilnConnectionError || opts.signal?.aborted) throw error;
        throw new KilnConnectionError(baseUrl, { cause: error });
      }
    },

    uploadDataset(
      source: UploadSource,
      query: { format: DatasetFormat; name: string; kcore?: number },
      opts: { onProgress?: UploadProgress } = {},
    ): Promise<DatasetCreated> {
      return upload('/v1/datasets', query, source, opts.onProgress);
    },
    /** One page of datasets, newest first. */
    listDatasets(query: Query<'listDatasets'> = {}): Promise<Page<Dataset>> {
      return call(http.GET('/v1/datasets', { params: { query } }));
    },
    /** Deletes a dataset (a 409 KILN_ERR_IN_USE while a model or an unfinished job uses it). */
    deleteDataset(id: string): Promise<void> {
      return call(http.DELETE('/v1/datasets/{id}', { params: { path: { id } } })).then(() => undefined);
    },
    getDataset(id: string): Promise<Dataset> {
      return call(http.GET('/v1/datasets/{id}', { params: { path: { id } } }));
    },

    uploadQuboProblems(
      source: UploadSource,
      query: { format: QuboFormat; name: string; kind?: 'maxcut' | 'mis'; wDiag?: number; wOff?: number },
      opts: { onProgress?: UploadProgress } = {},
    ): Promise<QuboProblemsCreated> {
      return upload('/v1/qubo/problems', query, source, opts.onProgress);
    },
    /** One page of QUBO problems, newest first. */
    listQuboProblems(query: Query<'listQuboProblems'> = {}): Promise<Page<QuboProblem>> {
      return call(http.GET('/v1/qubo/problems', { params: { query } }));
    },
    /** Deletes a QUBO problem (a 409 KILN_ERR_IN_USE while an unfinished job uses it). */
    deleteQuboProblem(id: string): Promise<void> {
      return call(http.DELETE('/v1/qubo/problems/{id}', { params: { path: { id } } })).then(() => undefined);
    },
    getQuboProblem(id: string): Promise<QuboProblem> {
      return call(http.GET('/v1/qubo/problems/{id}', { params: { path: { id } } }));
    },
    /** One page of QUBO solutions, newest first. */
    listQuboSolutions(query: Query<'listQuboSolutions'> = {}): Promise<Page<QuboSolutionSummary>> {
      return call(http.GET('/v1/qubo/solutions', { params: { query } }));
    },
    /** A qubo.solve job's sample set, every page: its distinct final states best first, with energy and count (spins for Ising problems). */
    async *quboSamples(jobId: string, pageSize = 500): AsyncGenerator<QuboSample> {
      let cursor: string | undefined;
      do {
        const page = await call(
          http.GET('/v1/qubo/solutions/{jobId}/samples', { params: { path: { jobId }, query: { limit: pageSize, ...(cursor ? { cursor } : {}) } } }),
        );
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    getQuboSolution(jobId: string): Promise<QuboSolution> {
      return call(http.GET('/v1/qubo/solutions/{jobId}', { params: { path: { jobId } } }));
    },

    /** One page of models, newest first. */
    listModels(query: Query<'listModels'> = {}): Promise<Page<Model>> {
      return call(http.GET('/v1/models', { params: { query } }));
    },
    /** Deletes a model (a 409 KILN_ERR_IN_USE while an unfinished scoring job uses it). */
    deleteModel(id: string): Promise<void> {
      return call(http.DELETE('/v1/models/{id}', { params: { path: { id } } })).then(() => undefined);
    },
    getModel(id: string): Promise<ModelDetail> {
      return call(http.GET('/v1/models/{id}', { params: { path: { id } } }));
    },
    /**
     * Streams a model to `target` (a path or a stream): its weights as safetensors (the JSON config
     * in `__metadata__["kiln.config"]`), or with `part: 'config'` the config alone. Resolves with the bytes written.
     */
    downloadModel(id: string, target: DownloadTarget, opts: { part?: 'weights' | 'config' } = {}): Promise<number> {
      return download(`/v1/models/${encodeURIComponent(id)}/download?part=${opts.part ?? 'weights'}`, target);
    },
    /** Stores a Mamba4Rec model trained elsewhere: a safetensors file (as downloadModel writes it) for the dataset it maps to. */
    uploadModel(source: UploadSource, query: { datasetId: string; name?: string }, opts: { onProgress?: UploadProgress } = {}): Promise<Model> {
      return upload('/v1/models', query, source, opts.onProgress);
    },
    /**
     * Adds events (external item ids, oldest first) to a user's online state and resolves with the
     * updated top-K. An item the model's dataset lacks is a 400 KILN_ERR_ITEM_UNKNOWN (`details.field`: `items[i]`), and nothing is applied.
     */
    postUserEvents(modelId: string, user: string, items: readonly string[], query: OnlineQuery = {}): Promise<OnlineRecommendations> {
      return call(http.POST('/v1/models/{id}/users/{user}/events', { params: { path: { id: modelId, user } }, body: { items: [...items], ...query } }));
    },
    /** A user's current online top-K (no stored state: `events` 0, no items). */
    userRecommendations(modelId: string, user: string, query: OnlineQuery = {}): Promise<OnlineRecommendations> {
      const q = {
        ...(query.k !== undefined ? { k: query.k } : {}),
        ...(query.excludeSeen !== undefined ? { excludeSeen: String(query.excludeSeen) as 'true' | 'false' } : {}),
      };
      return call(http.GET('/v1/models/{id}/users/{user}/recommendations', { params: { path: { id: modelId, user }, query: q } }));
    },

    listQueues(): Promise<Queue[]> {
      return call(http.GET('/v1/queues')).then((r) => r.items);
    },
    pauseQueue(name: string) {
      return call(http.POST('/v1/queues/{name}/pause', { params: { path: { name } } }));
    },
    resumeQueue(name: string) {
      return call(http.POST('/v1/queues/{name}/resume', { params: { path: { name } } }));
    },
    /**
     * Runs jobs one after another: `steps: [{ kind: 'ssm.train', payload }, { kind: 'ssm.score', payload: { k } }]`
     * trains, then scores with the model the training produced. With `idempotencyKey`, the same
     * key always gives the same pipeline.
     */
    createPipeline(request: PipelineRequest, opts: { idempotencyKey?: string } = {}): Promise<Pipeline> {
      return call(http.POST('/v1/pipelines', { body: request, params: { header: opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {} } }));
    },
    listPipelines(query: Query<'listPipelines'> = {}): Promise<Page<Pipeline>> {
      return call(http.GET('/v1/pipelines', { params: { query } }));
    },
    getPipeline(id: string): Promise<Pipeline> {
      return call(http.GET('/v1/pipelines/{id}', { params: { path: { id } } }));
    },
    /** Cancels the running step and the steps after it. */
    cancelPipeline(id: string): Promise<Pipeline> {
      return call(http.POST('/v1/pipelines/{id}/cancel', { params: { path: { id } } }));
    },
    /** Follows a pipeline until it is completed, failed or cancelled; `onProgress` sees every change of a step. */
    async waitForPipeline(
      id: string,
      opts: { onProgress?: (p: Pipeline) => void | Promise<void>; intervalMs?: number; signal?: AbortSignal } = {},
    ): Promise<Pipeline> {
      let last = '';
      for (;;) {
        opts.signal?.throwIfAborted();
        const p = await client.getPipeline(id);
        const seen = JSON.stringify([p.state, p.steps.map((s) => [s.state, s.jobId])]);
        if (seen !== last) {
          last = seen;
          await opts.onProgress?.(p);
        }
        if (p.state === 'completed' || p.state === 'failed' || p.state === 'cancelled') return p;
        await sleep(opts.intervalMs ?? 500, opts.signal);
      }
    },

    /**
     * Searches hyperparameters: `search: { 'training.lr': [0.001, 0.002], 'model.dropout': { min: 0.1, max: 0.3 } }`
     * over `base` (an ssm.train request's settings), `strategy` 'grid' or 'random' within `maxTrials`;
     * each trial is an ssm.train job, and the tune's `best` names the model with the highest
     * validation NDCG@10. With `idempotencyKey`, the same key always gives the same tune.
     */
    createTune(request: TuneRequest, opts: { idempotencyKey?: string } = {}): Promise<Tune> {
      return call(http.POST('/v1/tunes', { body: request, params: { header: opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {} } }));
    },
    listTunes(query: Query<'listTunes'> = {}): Promise<Page<Tune>> {
      return call(http.GET('/v1/tunes', { params: { query } }));
    },
    /** A tune with its trials (params, job, state, validation NDCG@10, test metrics, model) and its best trial. */
    getTune(id: string): Promise<Tune> {
      return call(http.GET('/v1/tunes/{id}', { params: { path: { id } } }));
    },
    /** Cancels the running trials and the ones not yet started. */
    cancelTune(id: string): Promise<Tune> {
      return call(http.POST('/v1/tunes/{id}/cancel', { params: { path: { id } } }));
    },
    /** Follows a tune until it is completed, failed or cancelled (and its trials are recorded); `onProgress` sees every change of a trial. */
    async waitForTune(id: string, opts: { onProgress?: (t: Tune) => void | Promise<void>; intervalMs?: number; signal?: AbortSignal } = {}): Promise<Tune> {
      let last = '';
      for (;;) {
        opts.signal?.throwIfAborted();
        const t = await client.getTune(id);
        const seen = JSON.stringify([t.state, t.best?.trial, t.trials.map((x) => [x.state, x.jobId, x.objective])]);
        if (seen !== last) {
          last = seen;
          await opts.onProgress?.(t);
        }
        if ((t.state === 'completed' || t.state === 'failed' || t.state === 'cancelled') && t.counts.running === 0) return t;
        await sleep(opts.intervalMs ?? 500, opts.signal);
      }
    },

    /** Submits a job or a pipeline on a cron expression (`cron`, `tz`) or every `everyMs` milliseconds. */
    createSchedule(request: ScheduleRequest): Promise<Schedule> {
      return call(http.POST('/v1/schedules', { body: request }));
    },
    listSchedules(query: Query<'listSchedules'> = {}): Promise<Page<Schedule>> {
      return call(http.GET('/v1/schedules', { params: { query } }));
    },
    /** A schedule with its next firing and its latest firings (what each created). */
    getSchedule(id: string): Promise<Schedule> {
      return call(http.GET('/v1/schedules/{id}', { params: { path: { id } } }));
    },
    pauseSchedule(id: string): Promise<Schedule> {
      return call(http.POST('/v1/schedules/{id}/pause', { params: { path: { id } } }));
    },
    resumeSchedule(id: string): Promise<Schedule> {
      return call(http.POST('/v1/schedules/{id}/resume', { params: { path: { id } } }));
    },
    deleteSchedule(id: string): Promise<void> {
      return call(http.DELETE('/v1/schedules/{id}', { params: { path: { id } } })).then(() => undefined);
    },

    health() {
      return call(http.GET('/healthz'));
    },
    /** The calling key: id, name, scopes. */
    /** Sends this key's jobs' state changes to `url` (default: every kind, the final states); the signing secret is in this answer only. */
    createWebhook(body: { url: string; kinds?: JobKind[]; states?: JobState[] }) {
      return call(http.POST('/v1/webhooks', { body }));
    },
    listWebhooks() {
      return call(http.GET('/v1/webhooks')).then((r) => r.items);
    },
    deleteWebhook(id: string): Promise<void> {
      return call(http.DELETE('/v1/webhooks/{id}', { params: { path: { id } } })).then(() => undefined);
    },
    /** A webhook's delivery attempts, newest first (status, duration, error). */
    webhookDeliveries(id: string, query: Query<'listWebhookDeliveries'> = {}) {
      return call(http.GET('/v1/webhooks/{id}/deliveries', { params: { path: { id }, query } }));
    },
    /**
     * A job's events as they happen (Server-Sent Events: `progress`, `state`, `result`), from the
     * first (or after `lastEventId`), until its final state; a dropped connection is resumed.
     */
    jobEvents(id: string, opts: { lastEventId?: string; signal?: AbortSignal } = {}): AsyncGenerator<JobEventMessage> {
      return readEvents(`${baseUrl}/v1/jobs/${encodeURIComponent(id)}/events`, {
        headers,
        fetch: fetchImpl,
        onError: (r) => apiErrorOf(r),
        ...opts,
      });
    },
    /** Every job's events from now (or after `lastEventId`), filtered by kind, type and state; until `signal` aborts. */
    events(
      query: { kind?: JobKind[]; type?: Array<'progress' | 'state' | 'result'>; state?: JobState[] } = {},
      opts: { lastEventId?: string; signal?: AbortSignal } = {},
    ): AsyncGenerator<JobEventMessage> {
      const qs = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v?.length ? [[k, v.join(',')] as [string, string]] : [])));
      return readEvents(`${baseUrl}/v1/events${qs.size ? `?${qs}` : ''}`, { headers, fetch: fetchImpl, onError: (r) => apiErrorOf(r), ...opts });
    },
    /** A job's callbackUrl delivery attempts, newest first. */
    callbackDeliveries(jobId: string, query: Query<'listCallbackDeliveries'> = {}) {
      return call(http.GET('/v1/jobs/{id}/deliveries', { params: { path: { id: jobId }, query } })).then((r) => r.items);
    },
    /** Makes or replaces the secret this key's job callbacks (`options.callbackUrl`) are signed with: in this answer only. */
    rotateCallbackSecret() {
      return call(http.POST('/v1/webhooks/callback-secret'));
    },
    whoAmI() {
      return call(http.GET('/v1/auth/me'));
    },
    /** A new API key (admin): its secret is in this answer only. */
    createKey(name: string, scopes: Array<'read' | 'submit' | 'admin'>) {
      return call(http.POST('/v1/keys', { body: { name, scopes } }));
    },
    /** One page of API keys (admin), newest first. */
    listKeys(query: Query<'listKeys'> = {}): Promise<Page<ApiKey>> {
      return call(http.GET('/v1/keys', { params: { query } }));
    },
    getKey(id: string): Promise<ApiKey> {
      return call(http.GET('/v1/keys/{id}', { params: { path: { id } } }));
    },
    revokeKey(id: string) {
      return call(http.POST('/v1/keys/{id}/revoke', { params: { path: { id } } }));
    },
  };
  return client;
}

export type KilnClient = ReturnType<typeof createClient>;
