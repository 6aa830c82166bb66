// Generated from docs/openapi.json by `npm run gen:client` (openapi-typescript). Do not edit.

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: Redis and Postgres answer */
        get: operations["readyz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Submit latency (`kiln_submit_duration_seconds{kind,outcome,endpoint}`), queue depths read from BullMQ at each scrape (`kiln_queue_jobs{queue,state}`, `kiln_queue_paused{queue}`) and the process metrics, each series labelled `service="api"`. Job run times, queue waits and result writes are measured by the workers, on their own `/metrics` (`KILN_METRICS_PORT`).
         */
        get: operations["metrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List datasets, newest first */
        get: operations["listDatasets"];
        put?: never;
        /**
         * Upload an interaction log
         * @description The file is the raw request body, streamed and parsed line by line; nothing is stored unless every line parses and, after the k-core filter, leave-one-out can split it (at least 2 users with ≥ 3 interactions and one training target: else 400 KILN_ERR_DATASET_TOO_SMALL).
         */
        post: operations["uploadDataset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/datasets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One dataset with its stats */
        get: operations["getDataset"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/qubo/problems": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List uploaded QUBO problems, newest first */
        get: operations["listQuboProblems"];
        put?: never;
        /**
         * Upload a QUBO (json, bqp, sparse) or a graph (gset)
         * @description The file is the raw request body. A bqp file holds several problems; each is stored as <name>-<index>.
         */
        post: operations["uploadQuboProblems"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/qubo/problems/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One QUBO problem (without its terms) */
        get: operations["getQuboProblem"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/qubo/solutions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Solutions found by qubo.solve jobs, newest first */
        get: operations["listQuboSolutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/qubo/solutions/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's solution with its assignment and energy trace */
        get: operations["getQuboSolution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List jobs, newest first */
        get: operations["listJobs"];
        put?: never;
        /**
         * Submit a job
         * @description Queues one job of any kind of the catalog (ssm.train, ssm.score, qubo.solve). The payload is checked, references resolved and every default filled in before it is queued; `GET /v1/jobs/{id}` shows what was queued. A 201 means the job is in Postgres and in the queue.
         */
        post: operations["submitJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit up to 1000 jobs at once
         * @description All or nothing: every item is validated and prepared first; if any fails, nothing is written and the error lists each failing item (`details.items[].index`, fields as `jobs.<i>.…`). Then every job is written in one group (one INSERT, one queue write per kind). Each item may carry its own `idempotencyKey`: an item whose key already made the same request is replayed (`replayed: true`), one whose key made another request fails the batch with 409.
         */
        post: operations["submitJobs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job: state, progress, attempts, result or error */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a job
         * @description A waiting job is removed (202, state cancelled); a running one aborts cooperatively (202, state active, cancelRequested); a finished one is left as it is (200).
         */
        post: operations["cancelJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed or cancelled job again */
        post: operations["retryJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/epochs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A training job's finished epochs so far (loss, validation metrics, seconds) */
        get: operations["listEpochs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/recommendations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A scoring job's top-K per user (paged; ?user= for one) */
        get: operations["listRecommendations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Trained models with their metrics, newest first */
        get: operations["listModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One model with its per-epoch metrics */
        get: operations["getModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each queue with its job counts per state */
        get: operations["listQueues"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/{name}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a queue (workers stop taking its jobs) */
        post: operations["pauseQueue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/queues/{name}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a queue (workers start taking its jobs) */
        post: operations["resumeQueue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling API key: id, name and scopes */
        get: operations["whoAmI"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API keys (never their secrets) */
        get: operations["listKeys"];
        put?: never;
        /**
         * Create an API key (its secret is in this answer only)
         * @description Scopes: `read` (every GET), `submit` (uploads, jobs, cancel, retry; implies read), `admin` (queues and keys; implies all).
         */
        post: operations["createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke an API key (it stops working within seconds on every replica) */
        post: operations["revokeKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Train a Mamba4Rec model on a dataset; stores a versioned model with its metrics. */
        Submit_ssm_train: {
            /** @constant */
            kind: "ssm.train";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description An uploaded dataset (POST /v1/datasets).
                 */
                datasetId: string;
                /** @description The model name (default mamba4rec-<dataset name>). */
                name?: string;
                /**
                 * @description Where the training defaults come from: 'default' (Kiln's ML-1M preset, ADR 11) or 'paper' (the Mamba4Rec paper's run).
                 * @enum {string}
                 */
                preset?: "default" | "paper";
                /** @description Any of the model's hyper-parameters; the rest take the defaults. */
                model?: {
                    /** @description Embedding and model width. */
                    hiddenSize?: number;
                    /** @description Mamba layers. */
                    numLayers?: number;
                    /** @description The SSM's state size per channel. */
                    dState?: number;
                    /** @description Causal convolution width. */
                    dConv?: number;
                    /** @description Inner width = expand × hiddenSize. */
                    expand?: number;
                    dropout?: number;
                    /** @description Most recent items a sequence keeps. */
                    maxLen?: number;
                };
                /** @description Any training setting; the rest come from the preset. */
                training?: {
                    /** @description Adam learning rate. */
                    lr?: number;
                    /**
                     * @description cosine: from lr to 0 over maxEpochs.
                     * @enum {string}
                     */
                    lrSchedule?: "constant" | "cosine";
                    /** @description Windows (all-position) or prefixes (per-prefix) per batch. */
                    batchSize?: number;
                    maxEpochs?: number;
                    /** @description Epochs without a validation NDCG@10 gain before stopping. */
                    patience?: number;
                    seed?: number;
                    /** @enum {string} */
                    objective?: "all-position" | "per-prefix";
                    /**
                     * @description length: windows of similar length batched together (all-position only).
                     * @enum {string}
                     */
                    batching?: "length" | "random";
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
        };
        /** @description Write every requested user's top-K next items from a trained model. */
        Submit_ssm_score: {
            /** @constant */
            kind: "ssm.score";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description A trained model (GET /v1/models).
                 */
                modelId: string;
                /** @description 'all' (default) or a list of the dataset's user ids. */
                users?: "all" | string[];
                /** @description Items per user (default 10). */
                k?: number;
                /** @description Never recommend an item of the user's history (default true). */
                excludeSeen?: boolean;
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
        };
        /** @description Minimise a QUBO with the native annealer (sa, loihi, tabu or auto); stores the best assignment. */
        Submit_qubo_solve: {
            /** @constant */
            kind: "qubo.solve";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description An uploaded problem (POST /v1/qubo/problems).
                 */
                problemId?: string;
                /** @description Or the problem inline (stored, then referenced by id). */
                problem?: {
                    n: number;
                    terms: ([
                        number,
                        number,
                        number
                    ] | {
                        i: number;
                        j: number;
                        w: number;
                    })[];
                    offset?: number;
                };
                /** @description Defaults: mode auto, timeLimitMs 10000, seed 1, restarts true. */
                params?: {
                    /** @enum {string} */
                    mode?: "auto" | "sa" | "loihi" | "tabu";
                    timeLimitMs?: number;
                    seed?: number;
                    /** @description Keep searching until the time limit or target. */
                    restarts?: boolean;
                    replicas?: number;
                    sweeps?: number;
                    betaStart?: number;
                    betaEnd?: number;
                    /** @enum {string} */
                    schedule?: "geometric" | "linear";
                    /** @description Stop as soon as the energy is ≤ target. */
                    target?: number;
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
        };
        SubmitJob: components["schemas"]["Submit_ssm_train"] | components["schemas"]["Submit_ssm_score"] | components["schemas"]["Submit_qubo_solve"];
        /** @description Train a Mamba4Rec model on a dataset; stores a versioned model with its metrics. */
        BatchItem_ssm_train: {
            /** @constant */
            kind: "ssm.train";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description An uploaded dataset (POST /v1/datasets).
                 */
                datasetId: string;
                /** @description The model name (default mamba4rec-<dataset name>). */
                name?: string;
                /**
                 * @description Where the training defaults come from: 'default' (Kiln's ML-1M preset, ADR 11) or 'paper' (the Mamba4Rec paper's run).
                 * @enum {string}
                 */
                preset?: "default" | "paper";
                /** @description Any of the model's hyper-parameters; the rest take the defaults. */
                model?: {
                    /** @description Embedding and model width. */
                    hiddenSize?: number;
                    /** @description Mamba layers. */
                    numLayers?: number;
                    /** @description The SSM's state size per channel. */
                    dState?: number;
                    /** @description Causal convolution width. */
                    dConv?: number;
                    /** @description Inner width = expand × hiddenSize. */
                    expand?: number;
                    dropout?: number;
                    /** @description Most recent items a sequence keeps. */
                    maxLen?: number;
                };
                /** @description Any training setting; the rest come from the preset. */
                training?: {
                    /** @description Adam learning rate. */
                    lr?: number;
                    /**
                     * @description cosine: from lr to 0 over maxEpochs.
                     * @enum {string}
                     */
                    lrSchedule?: "constant" | "cosine";
                    /** @description Windows (all-position) or prefixes (per-prefix) per batch. */
                    batchSize?: number;
                    maxEpochs?: number;
                    /** @description Epochs without a validation NDCG@10 gain before stopping. */
                    patience?: number;
                    seed?: number;
                    /** @enum {string} */
                    objective?: "all-position" | "per-prefix";
                    /**
                     * @description length: windows of similar length batched together (all-position only).
                     * @enum {string}
                     */
                    batching?: "length" | "random";
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
            /** @description This item's own Idempotency-Key. */
            idempotencyKey?: string;
        };
        /** @description Write every requested user's top-K next items from a trained model. */
        BatchItem_ssm_score: {
            /** @constant */
            kind: "ssm.score";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description A trained model (GET /v1/models).
                 */
                modelId: string;
                /** @description 'all' (default) or a list of the dataset's user ids. */
                users?: "all" | string[];
                /** @description Items per user (default 10). */
                k?: number;
                /** @description Never recommend an item of the user's history (default true). */
                excludeSeen?: boolean;
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
            /** @description This item's own Idempotency-Key. */
            idempotencyKey?: string;
        };
        /** @description Minimise a QUBO with the native annealer (sa, loihi, tabu or auto); stores the best assignment. */
        BatchItem_qubo_solve: {
            /** @constant */
            kind: "qubo.solve";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description An uploaded problem (POST /v1/qubo/problems).
                 */
                problemId?: string;
                /** @description Or the problem inline (stored, then referenced by id). */
                problem?: {
                    n: number;
                    terms: ([
                        number,
                        number,
                        number
                    ] | {
                        i: number;
                        j: number;
                        w: number;
                    })[];
                    offset?: number;
                };
                /** @description Defaults: mode auto, timeLimitMs 10000, seed 1, restarts true. */
                params?: {
                    /** @enum {string} */
                    mode?: "auto" | "sa" | "loihi" | "tabu";
                    timeLimitMs?: number;
                    seed?: number;
                    /** @description Keep searching until the time limit or target. */
                    restarts?: boolean;
                    replicas?: number;
                    sweeps?: number;
                    betaStart?: number;
                    betaEnd?: number;
                    /** @enum {string} */
                    schedule?: "geometric" | "linear";
                    /** @description Stop as soon as the energy is ≤ target. */
                    target?: number;
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
            /** @description This item's own Idempotency-Key. */
            idempotencyKey?: string;
        };
        SubmitBatch: {
            jobs: (components["schemas"]["BatchItem_ssm_train"] | components["schemas"]["BatchItem_ssm_score"] | components["schemas"]["BatchItem_qubo_solve"])[];
        };
        /** @description An error: `{ error: { code, message, details? } }`. */
        Error: {
            error: {
                /** @enum {string} */
                code: "KILN_ERR_VALIDATION" | "KILN_ERR_MEDIA_TYPE" | "KILN_ERR_BODY_TOO_LARGE" | "KILN_ERR_UNAUTHENTICATED" | "KILN_ERR_FORBIDDEN" | "KILN_ERR_CSRF" | "KILN_ERR_RATE_LIMITED" | "KILN_ERR_HEADERS_TOO_LARGE" | "KILN_ERR_RESOURCE_LIMIT" | "KILN_ERR_DATASET_TOO_SMALL" | "KILN_ERR_QUBO_RANGE" | "KILN_ERR_NOT_FOUND" | "KILN_ERR_CONFLICT" | "KILN_ERR_IDEMPOTENCY_CONFLICT" | "KILN_ERR_DATASET_PARSE" | "KILN_ERR_DATASET_EMPTY" | "KILN_ERR_QUBO_PARSE" | "KILN_ERR_QUBO_INDEX" | "KILN_ERR_QUBO_NONFINITE" | "KILN_ERR_QUBO_TOO_LARGE" | "KILN_ERR_DATASET_UNKNOWN" | "KILN_ERR_MODEL_UNKNOWN" | "KILN_ERR_PROBLEM_UNKNOWN" | "KILN_ERR_PAYLOAD_INVALID" | "KILN_ERR_MODEL_NONFINITE" | "KILN_ERR_JOB_CANCELLED" | "KILN_ERR_UNAVAILABLE" | "KILN_ERR_TIMEOUT" | "KILN_ERR_INTERNAL" | "KILN_ERR_DASHBOARD_UPSTREAM";
                message: string;
                /** @description Validation errors: `{ issues: [{ field, message }] }`; parse errors: `{ line }`; others vary. */
                details?: unknown;
            };
        };
        Job: {
            id: string;
            /** @constant */
            kind: "ssm.train";
            /** @enum {string} */
            state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
            /** @description The latest progress report (live from the queue while the job runs). */
            progress: {
                /** @constant */
                kind: "ssm.train";
                /** @description Epochs finished. */
                epoch: number;
                maxEpochs: number;
                loss?: number;
                /** @description hr@K, ndcg@K, mrr@K for K = 5, 10, 20. */
                valid?: {
                    [key: string]: number;
                };
                seconds?: number;
                bestEpoch?: number;
                /** @description Batches done in the running epoch. */
                batch?: number;
                batches?: number;
            } | null;
            /** @description Attempts started so far. */
            attempts: number;
            result: {
                /** Format: uuid */
                modelId: string;
                modelVersion: number;
                bestEpoch: number;
                epochs: number;
                /** @description hr@K, ndcg@K, mrr@K for K = 5, 10, 20. */
                valid: {
                    [key: string]: number;
                };
                /** @description Test metrics with the best epoch’s weights, full ranking, history not masked (the paper’s protocol). */
                test: {
                    [key: string]: number;
                };
                /** @description The same with each user’s history excluded from the ranking. */
                testMasked: {
                    [key: string]: number;
                };
                backend: string;
                parameters: number;
                seconds: number;
            } | null;
            /** @description Why the last attempt failed (kept while a retry waits). */
            error: {
                code: string;
                message: string;
                details?: unknown;
            } | null;
            /** @description What was queued: references resolved, every default filled in. */
            payload: {
                /** @constant */
                version: 1;
                /** Format: uuid */
                datasetId: string;
                name?: string;
                model: {
                    /** @description Embedding and model width. */
                    hiddenSize: number;
                    /** @description Mamba layers. */
                    numLayers: number;
                    /** @description The SSM's state size per channel. */
                    dState: number;
                    /** @description Causal convolution width. */
                    dConv: number;
                    /** @description Inner width = expand × hiddenSize. */
                    expand: number;
                    dropout: number;
                    /** @description Most recent items a sequence keeps. */
                    maxLen: number;
                };
                training: {
                    /** @description Adam learning rate. */
                    lr: number;
                    /**
                     * @description cosine: from lr to 0 over maxEpochs.
                     * @enum {string}
                     */
                    lrSchedule: "constant" | "cosine";
                    /** @description Windows (all-position) or prefixes (per-prefix) per batch. */
                    batchSize: number;
                    maxEpochs: number;
                    /** @description Epochs without a validation NDCG@10 gain before stopping. */
                    patience: number;
                    seed: number;
                    /** @enum {string} */
                    objective: "all-position" | "per-prefix";
                    /**
                     * @description length: windows of similar length batched together (all-position only).
                     * @enum {string}
                     */
                    batching?: "length" | "random";
                };
            };
            options: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
            cancelRequested: boolean;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
        } | {
            id: string;
            /** @constant */
            kind: "ssm.score";
            /** @enum {string} */
            state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
            /** @description The latest progress report (live from the queue while the job runs). */
            progress: {
                /** @constant */
                kind: "ssm.score";
                done: number;
                total: number;
            } | null;
            /** @description Attempts started so far. */
            attempts: number;
            result: {
                /** Format: uuid */
                modelId: string;
                users: number;
                k: number;
                excludeSeen: boolean;
                seconds: number;
            } | null;
            /** @description Why the last attempt failed (kept while a retry waits). */
            error: {
                code: string;
                message: string;
                details?: unknown;
            } | null;
            /** @description What was queued: references resolved, every default filled in. */
            payload: {
                /** @constant */
                version: 1;
                /** Format: uuid */
                modelId: string;
                users: "all" | string[];
                k: number;
                excludeSeen: boolean;
            };
            options: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
            cancelRequested: boolean;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
        } | {
            id: string;
            /** @constant */
            kind: "qubo.solve";
            /** @enum {string} */
            state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
            /** @description The latest progress report (live from the queue while the job runs). */
            progress: {
                /** @constant */
                kind: "qubo.solve";
                elapsedMs: number;
                bestEnergy: number;
                sweeps: number;
            } | null;
            /** @description Attempts started so far. */
            attempts: number;
            result: {
                /** Format: uuid */
                solutionId: string;
                /** @enum {string} */
                kind: "qubo" | "maxcut" | "mis";
                n: number;
                energy: number;
                /** @description The problem-level objective: cut size (Max-Cut), set size after repair (MIS), the file's own objective (bqp), or the energy. */
                value: number;
                feasible: boolean;
                timeToBestMs: number;
                elapsedMs: number;
                flipAttempts: number;
                /** @description The mode of the search that found the best state. */
                mode: string;
            } | null;
            /** @description Why the last attempt failed (kept while a retry waits). */
            error: {
                code: string;
                message: string;
                details?: unknown;
            } | null;
            /** @description What was queued: references resolved, every default filled in. */
            payload: {
                /** @constant */
                version: 1;
                /** Format: uuid */
                problemId: string;
                params: {
                    /** @enum {string} */
                    mode: "auto" | "sa" | "loihi" | "tabu";
                    timeLimitMs: number;
                    seed: number;
                    /** @description Keep searching until the time limit or target. */
                    restarts: boolean;
                    replicas?: number;
                    sweeps?: number;
                    betaStart?: number;
                    betaEnd?: number;
                    /** @enum {string} */
                    schedule?: "geometric" | "linear";
                    /** @description Stop as soon as the energy is ≤ target. */
                    target?: number;
                };
            };
            options: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
            };
            cancelRequested: boolean;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
        };
        SubmittedJob: {
            id: string;
            /** @enum {string} */
            kind: "ssm.train" | "ssm.score" | "qubo.solve";
            /** @enum {string} */
            state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
        };
        Dataset: {
            /** Format: uuid */
            id: string;
            name: string;
            format: string;
            kcore: number;
            users: number;
            items: number;
            interactions: number;
            rawInteractions: number;
            /** Format: date-time */
            createdAt: string;
        };
        DatasetCreated: {
            /** Format: uuid */
            id: string;
            name: string;
            format: string;
            kcore: number;
            users: number;
            items: number;
            interactions: number;
            rawInteractions: number;
            /** Format: date-time */
            createdAt: string;
            /** @description Interactions removed by the k-core filter and de-duplication. */
            droppedInteractions: number;
        };
        Model: {
            /** Format: uuid */
            id: string;
            name: string;
            version: number;
            datasetId: string;
            jobId: string;
            config: {
                /** @description Embedding and model width. */
                hiddenSize: number;
                /** @description Mamba layers. */
                numLayers: number;
                /** @description The SSM's state size per channel. */
                dState: number;
                /** @description Causal convolution width. */
                dConv: number;
                /** @description Inner width = expand × hiddenSize. */
                expand: number;
                dropout: number;
                /** @description Most recent items a sequence keeps. */
                maxLen: number;
                nItems: number;
            };
            metrics: {
                valid: {
                    [key: string]: number;
                };
                test: {
                    [key: string]: number;
                };
                testMasked?: {
                    [key: string]: number;
                };
            };
            backend: string;
            parameters: number;
            bestEpoch: number;
            /** Format: date-time */
            createdAt: string;
        };
        ModelDetail: {
            /** Format: uuid */
            id: string;
            name: string;
            version: number;
            datasetId: string;
            jobId: string;
            config: {
                /** @description Embedding and model width. */
                hiddenSize: number;
                /** @description Mamba layers. */
                numLayers: number;
                /** @description The SSM's state size per channel. */
                dState: number;
                /** @description Causal convolution width. */
                dConv: number;
                /** @description Inner width = expand × hiddenSize. */
                expand: number;
                dropout: number;
                /** @description Most recent items a sequence keeps. */
                maxLen: number;
                nItems: number;
            };
            metrics: {
                valid: {
                    [key: string]: number;
                };
                test: {
                    [key: string]: number;
                };
                testMasked?: {
                    [key: string]: number;
                };
            };
            backend: string;
            parameters: number;
            bestEpoch: number;
            /** Format: date-time */
            createdAt: string;
            epochs: {
                epoch: number;
                loss: number;
                valid: {
                    [key: string]: number;
                };
                seconds: number;
                trainSeconds?: number;
                validSeconds?: number;
                trainTargets?: number;
                lr?: number;
            }[];
        };
        QuboProblem: {
            /** Format: uuid */
            id: string;
            name: string;
            format: string;
            /** @enum {string} */
            kind: "qubo" | "maxcut" | "mis";
            /** @enum {string} */
            sense: "min" | "max";
            n: number;
            numTerms: number;
            offset: number;
            meta: unknown;
            /** Format: date-time */
            createdAt: string;
        };
        QuboProblemsCreated: {
            /** Format: uuid */
            id: string;
            name: string;
            format: string;
            /** @enum {string} */
            kind: "qubo" | "maxcut" | "mis";
            /** @enum {string} */
            sense: "min" | "max";
            n: number;
            terms: number;
            offset: number;
            /** @description Problems stored (a bqp file holds several). */
            count: number;
            problems: {
                /** Format: uuid */
                id: string;
                name: string;
                format: string;
                /** @enum {string} */
                kind: "qubo" | "maxcut" | "mis";
                /** @enum {string} */
                sense: "min" | "max";
                n: number;
                terms: number;
                offset: number;
            }[];
        };
        QuboSolutionSummary: {
            /** Format: uuid */
            id: string;
            jobId: string;
            problemId: string | null;
            kind: string;
            n: number;
            energy: number;
            value: number;
            feasible: boolean;
            timeToBestMs: number;
            elapsedMs: number;
            flipAttempts: number;
            mode: string;
            /** Format: date-time */
            createdAt: string;
        };
        QuboSolution: {
            /** Format: uuid */
            id: string;
            jobId: string;
            problemId: string | null;
            kind: string;
            n: number;
            energy: number;
            value: number;
            feasible: boolean;
            timeToBestMs: number;
            elapsedMs: number;
            flipAttempts: number;
            mode: string;
            /** Format: date-time */
            createdAt: string;
            /** @description One '0' or '1' per variable. */
            assignment: string;
            /** @description What ran: the params, engine, plan (rule, reason, each member’s figures). */
            params: {
                [key: string]: unknown;
            };
            /** @description Best energy over time. */
            trace: {
                tMs: number;
                energy: number;
            }[];
        };
        Queue: {
            name: string;
            /** @enum {string} */
            kind: "ssm.train" | "ssm.score" | "qubo.solve";
            paused: boolean;
            counts: {
                waiting: number;
                active: number;
                delayed: number;
                prioritized: number;
                completed: number;
                failed: number;
                paused: number;
            };
        };
        SubmittedBatch: {
            items: {
                id: string;
                /** @enum {string} */
                kind: "ssm.train" | "ssm.score" | "qubo.solve";
                /** @enum {string} */
                state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
                /** @description true: an earlier request under this Idempotency-Key made this job. */
                replayed: boolean;
            }[];
        };
        ApiKey: {
            id: string;
            name: string;
            /** @description The key's first characters, to tell keys apart. */
            prefix: string;
            scopes: ("read" | "submit" | "admin")[];
            /** Format: date-time */
            createdAt: string;
            lastUsedAt: string | null;
            revokedAt: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    readyz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready" | "not ready";
                        /** @description 'ok' or 'down: <reason>' */
                        redis: string;
                        /** @description 'ok' or 'down: <reason>' */
                        postgres: string;
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres does not answer. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready" | "not ready";
                        /** @description 'ok' or 'down: <reason>' */
                        redis: string;
                        /** @description 'ok' or 'down: <reason>' */
                        postgres: string;
                    };
                };
            };
        };
    };
    metrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Prometheus text exposition format. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDatasets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Dataset"][];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    uploadDataset: {
        parameters: {
            query: {
                /** @description sasrec: `user item` lines in time order; movielens: ratings.dat; recbole: .inter; csv: header user,item,timestamp. */
                format: "sasrec" | "movielens" | "recbole" | "csv";
                name: string;
                /** @description Drop users and items with fewer interactions, repeatedly (0: keep all). */
                kcore?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The file itself, as the raw request body (any content type). */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "text/plain": string;
                "text/csv": string;
                "application/json": string;
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DatasetCreated"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDataset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Dataset"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listQuboProblems: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["QuboProblem"][];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    uploadQuboProblems: {
        parameters: {
            query: {
                /** @description json: {n, terms, offset}; gset: a G-set graph; bqp: OR-Library (several problems: <name>-1..k); sparse: Biq Mac .sparse. */
                format: "json" | "gset" | "bqp" | "sparse";
                name: string;
                /** @description For graph files (gset): what to build from the graph. */
                kind?: "maxcut" | "mis";
                /** @description MIS penalty form (Intel's): Q_ii = −wDiag. */
                wDiag?: number;
                /** @description MIS penalty form: wOff per edge, wOff > 2·wDiag. */
                wOff?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The file itself, as the raw request body (any content type). */
        requestBody: {
            content: {
                "application/octet-stream": string;
                "text/plain": string;
                "text/csv": string;
                "application/json": string;
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuboProblemsCreated"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getQuboProblem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuboProblem"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listQuboSolutions: {
        parameters: {
            query?: {
                problemId?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["QuboSolutionSummary"][];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getQuboSolution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["QuboSolution"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                kind?: "ssm.train" | "ssm.score" | "qubo.solve";
                state?: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
                limit?: number;
                /** @description The previous page's nextCursor. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Job"][];
                        /** @description Pass as `cursor` for the next page; null on the last. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the submit idempotent: the same key and request give the same job (200, `idempotent-replayed: true`); the key with another request → 409. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitJob"];
            };
        };
        responses: {
            /** @description Replayed: this Idempotency-Key already made this job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmittedJob"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmittedJob"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the resource state or an earlier request under the same Idempotency-Key. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitJobs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitBatch"];
            };
        };
        responses: {
            /** @description Every item was a replay. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmittedBatch"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmittedBatch"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the resource state or an earlier request under the same Idempotency-Key. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Job"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
                        cancelRequested?: boolean;
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
                        cancelRequested?: boolean;
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the resource state or an earlier request under the same Idempotency-Key. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    retryJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @enum {string} */
                        state: "waiting";
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Conflicts with the resource state or an earlier request under the same Idempotency-Key. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEpochs: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        backend: string | null;
                        bestEpoch: number | null;
                        items: {
                            epoch: number;
                            loss: number;
                            valid: {
                                [key: string]: number;
                            };
                            seconds: number;
                            trainSeconds: number;
                            validSeconds: number;
                            trainTargets?: number;
                            lr?: number;
                        }[];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRecommendations: {
        parameters: {
            query?: {
                limit?: number;
                offset?: number;
                user?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            user: string;
                            items: {
                                item: string;
                                score: number;
                                rank: number;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listModels: {
        parameters: {
            query?: {
                datasetId?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Model"][];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelDetail"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listQueues: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Queue"][];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    pauseQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        paused: boolean;
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resumeQueue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        paused: boolean;
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    whoAmI: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        scopes: ("read" | "submit" | "admin")[];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ApiKey"][];
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    scopes: ("read" | "submit" | "admin")[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        name: string;
                        /** @description The key's first characters, to tell keys apart. */
                        prefix: string;
                        scopes: ("read" | "submit" | "admin")[];
                        /** Format: date-time */
                        createdAt: string;
                        lastUsedAt: string | null;
                        revokedAt: string | null;
                        /** @description The key itself: shown once, store it now. */
                        key: string;
                    };
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            /** @description Invalid input: `details.issues` names each field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description No API key, or an unknown or revoked one. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The key's scopes do not allow this operation. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The named resource does not exist. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The body is larger than the configured limit. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The content type is not accepted. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Too many requests for this key: retry after `retry-after` seconds. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Redis or Postgres is not reachable: retry later. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
