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
        /** List datasets, newest first (paged: follow `next`) */
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
        /**
         * Delete a dataset
         * @description Refused with 409 KILN_ERR_IN_USE while a model trained on it or an unfinished training job uses it (`details` names them): delete those models first, or wait for (or cancel) those jobs.
         */
        delete: operations["deleteDataset"];
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
        /** List uploaded QUBO problems, newest first (paged: follow `next`) */
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
        /**
         * Delete a QUBO problem
         * @description Refused with 409 KILN_ERR_IN_USE while an unfinished qubo.solve job uses it (`details.jobs`). Solutions of finished jobs stay.
         */
        delete: operations["deleteQuboProblem"];
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
        /** Solutions found by qubo.solve jobs, newest first (paged: follow `next`) */
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
    "/v1/qubo/solutions/{jobId}/samples": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A job's sample set: its distinct final states, best first (paged: follow `next`)
         * @description dwave's SampleSet: with `numReads` > 1 the distinct final states of every replica (sa: where its last anneal ended; loihi: after its last cycle; tabu: its best), each with its energy and `numOccurrences`, best first (ties: the more frequent first), at most numReads; rank 0 is always the best state found. With numReads 1 (the default) the set is the best state alone. An Ising problem gives the spins of each sample too.
         */
        get: operations["listQuboSamples"];
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
        /** List jobs, newest first (paged: follow `next`) */
        get: operations["listJobs"];
        put?: never;
        /**
         * Submit a job
         * @description Queues one job of any kind of the catalog (ssm.train, ssm.score, ssm.prime, qubo.solve). The payload is checked, references resolved and every default filled in before it is queued; `GET /v1/jobs/{id}` shows what was queued. A 201 means the job is in Postgres and in the queue.
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
        /**
         * Delete a finished job with its results
         * @description Only a finished job (completed, failed, cancelled): any other is a 409 KILN_ERR_CONFLICT (cancel it first). The row goes with its results (recommendations, QUBO solution, training run, epochs and checkpoint, an inline QUBO no other job names) and its BullMQ job; a model it trained stays (`DELETE /v1/models/{id}`). Needs the submit scope.
         */
        delete: operations["deleteJob"];
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
        /**
         * A scoring job's top-K per user (paged; ?user= for one; ?format= for the whole job as a file)
         * @description JSON (the default): a page of users in user order; follow `next` (or pass `nextCursor` as `cursor`) until it is null. `format=csv|jsonl|parquet`: every user of the job as one streamed file (`Content-Disposition: attachment`), read from Postgres in batches as the client takes it, so memory stays constant whatever the job size; `limit`, `cursor` and `user` do not apply. CSV: header `user,rank,item,score`, one row per (user, rank). JSONL: one line per user, `{"user","items":[{"item","score","rank"}]}`. Parquet: the CSV's columns (user UTF8, rank INT32, item UTF8, score DOUBLE), row groups of 50,000 rows.
         */
        get: operations["listRecommendations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pipelines": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List pipelines, newest first */
        get: operations["listPipelines"];
        put?: never;
        /**
         * Run jobs one after another (train, then score with the new model)
         * @description Checks every step, prepares the first one (its references resolved, as `POST /v1/jobs` does) and queues it; each next step is submitted when the one before it completed. An `ssm.score` step without `modelId` scores with the model the `ssm.train` step before it produced. A step that fails or is cancelled fails or cancels the rest, which never run.
         */
        post: operations["createPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pipelines/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A pipeline: its state and its steps with their jobs */
        get: operations["getPipeline"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/pipelines/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a pipeline: its running step and every step after it
         * @description The pipeline is cancelled at once (202); its current job is cancelled as `POST /v1/jobs/{id}/cancel` does (a running one aborts cooperatively) and the steps after it never run. A pipeline that already ended is left as it is (200).
         */
        post: operations["cancelPipeline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List schedules, newest first */
        get: operations["listSchedules"];
        put?: never;
        /**
         * Submit a job or a pipeline on a cron expression or every N milliseconds
         * @description Each firing submits the target as `POST /v1/jobs` or `POST /v1/pipelines` would, under an Idempotency-Key made of the schedule's id and the firing's time: however many API processes run, a firing creates one job or pipeline. Schedules live in Postgres and their timers in Redis (BullMQ job schedulers): they survive restarts.
         */
        post: operations["createSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A schedule, its next firing and its latest firings with what each created */
        get: operations["getSchedule"];
        put?: never;
        post?: never;
        /** Delete a schedule: it never fires again (the jobs and pipelines it created stay) */
        delete: operations["deleteSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a schedule firing (its firings so far are kept) */
        post: operations["pauseSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/schedules/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Fire a paused schedule again */
        post: operations["resumeSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tunes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tunes with their trials, newest first */
        get: operations["listTunes"];
        put?: never;
        /**
         * Search hyperparameters: ssm.train trials over named fields, the best model kept
         * @description Checks the search against the ssm.train contract (a field it does not know, or a value outside what it accepts, is a 400 naming `search["<field>"]`), expands it into trials (grid: the cartesian product truncated to `maxTrials`, said in `space.truncated`; random: `maxTrials` seeded draws) and prepares every trial as `POST /v1/jobs` would; nothing is written when one is refused. Each trial is then an ordinary `ssm.train` job, up to `parallelism` at once. When every trial ended, the tune completes with the trial of the highest validation NDCG@10 (`best`: its model); a failed trial is recorded and the search goes on.
         */
        post: operations["createTune"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tunes/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A tune: its trials (params, job, state, validation NDCG@10, test metrics, model) and the best one */
        get: operations["getTune"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tunes/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a tune: its running trials and the ones not yet started
         * @description The tune is cancelled at once (202); its running trials are cancelled as `POST /v1/jobs/{id}/cancel` does (a running one aborts cooperatively) and the trials not yet started never run. Once the running ones are recorded, `best` names the best trial that completed, if any. A tune that already ended is left as it is (200).
         */
        post: operations["cancelTune"];
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
        /** Trained models with their metrics, newest first (paged: follow `next`) */
        get: operations["listModels"];
        put?: never;
        /**
         * Store a Mamba4Rec model trained elsewhere (a safetensors file)
         * @description The body is a safetensors file as a download gives it: the tensors of Mamba4Rec (F32, the names and shapes the config implies, nothing else, all finite) and `__metadata__["kiln.config"]` with the JSON config (GET /v1/models/{id}/download?part=config: `architecture`, `config`, `items`, ...). The model is stored for `datasetId`, whose users it scores: its item vocabulary must hold exactly the dataset's items (in any order: the embedding rows are reordered to the dataset's). A tensor that does not fit is refused with 400 KILN_ERR_VALIDATION naming it (`details.tensor`). The model is then scored like a trained one (`ssm.score` with its id).
         */
        post: operations["uploadModel"];
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
        /**
         * Delete a model (its weights with it)
         * @description Refused with 409 KILN_ERR_IN_USE while an unfinished scoring job uses it (`details.jobs`). Recommendations already written by finished jobs stay.
         */
        delete: operations["deleteModel"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A model's weights as safetensors, or its JSON config
         * @description Default (`part=weights`): a safetensors file (application/octet-stream, attachment): every tensor F32 under its Mamba4Rec name, and `__metadata__["kiln.config"]` holding the JSON config. `part=config`: that JSON config alone: architecture, hyper-parameters, the item vocabulary (row r of item_embedding is items[r-1]), tensor names and shapes, maxLen.
         */
        get: operations["downloadModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}/users/{user}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add events to a user's online state and answer the updated top-K
         * @description One step of the model per event from the user's stored recurrent state (a new user starts from their history in the model's dataset, if any), saved atomically: concurrent POSTs for one user are applied one after another, each with its own `version`. An item the dataset does not have is a 400 KILN_ERR_ITEM_UNKNOWN naming the first (`details.field`: `items[i]`), and nothing is applied.
         */
        post: operations["postUserEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{id}/users/{user}/recommendations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's current online top-K
         * @description Read from the user's stored recurrent state (no model step). A user with no stored state starts from their history in the model's dataset, if any; otherwise the answer is `events: 0`, `version: 0` and no items.
         */
        get: operations["getUserRecommendations"];
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
    "/v1/workers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Connected workers, the jobs they run, and orphaned jobs (active without a lock)
         * @description Workers are BullMQ's worker connections to Redis (CLIENT LIST, matched by each queue's client name). An active job's lock is renewed by its worker; an active job without a lock belongs to a dead worker (`orphaned`).
         */
        get: operations["listWorkers"];
        put?: never;
        post?: never;
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
        /** API keys (never their secrets), newest first (paged: follow `next`) */
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
    "/v1/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One API key (never its secret) */
        get: operations["getKey"];
        put?: never;
        post?: never;
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
    "/v1/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A job's events, live (Server-Sent Events)
         * @description Every event of the job so far, then each new one as it happens: `progress` (the kind's progress), `state` (waiting, delayed, active, completed, failed, cancelled, with `attempt` and a failure's `error`) and `result` (a completed job's result, just before its final state). The stream ends after the final state; a job that has already ended answers its events (at least its result and final state) at once. Each event has an `id`: reconnect with `Last-Event-ID` to get every later event, none twice (204 when the client already has the final one). A comment line every 15 s keeps idle connections open. Browsers (EventSource cannot send headers) go through the dashboard, which adds the key.
         */
        get: operations["jobEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every job's events, live (Server-Sent Events)
         * @description The events of every job as they happen (the same `progress`, `state` and `result` events as `GET /v1/jobs/{id}/events`, each naming its `jobId` and `kind`), filtered by `kind`, `type` and `state` (state events of those states only). Without `Last-Event-ID` the stream starts now; with it, it resumes after that event (the log keeps about the last 100,000 events of all jobs). The stream does not end by itself.
         */
        get: operations["events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This key's webhooks */
        get: operations["listWebhooks"];
        put?: never;
        /**
         * Send this key's jobs' state changes to a URL
         * @description A POST to `url` for every state change (of the `kinds` and `states` named; default: every kind, the final states) of the jobs this key submits, signed with the secret returned here (once): header `Kiln-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. A delivery that fails (no 2xx) is retried with exponential backoff, 6 attempts; `GET /v1/webhooks/{id}/deliveries` logs every attempt.
         */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a webhook and its delivery log */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A webhook's delivery attempts, newest first */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's callbackUrl delivery attempts, newest first (its submitting key, or an admin) */
        get: operations["listCallbackDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/callback-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make (or replace) the secret this key's job callbacks are signed with
         * @description A job submitted with `options.callbackUrl` gets its final state POSTed there, signed like a webhook with its submitting key's callback secret. The secret is shown here only; calling again replaces it (deliveries from then on use the new one). Without one, callbacks are not sent (the attempt is logged).
         */
        post: operations["rotateCallbackSecret"];
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
        PipelineStep_ssm_train: {
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
                 * @description Where the defaults come from: 'default' (Kiln's preset, ADR 11, with maxLen, dropout, batchSize and maxEpochs from the dataset's shape) or 'paper' (the Mamba4Rec paper's run).
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
                     * @description length: samples of similar length batched together (less padding); random: drawn at random.
                     * @enum {string}
                     */
                    batching?: "length" | "random";
                    /** @description All-position only: windows per user per epoch (1: each target once; more: extra windows ending at random positions, drawn every epoch). */
                    crops?: number;
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
        };
        /** @description Write every requested user's top-K next items from a trained model. Without `modelId`, scores with the model the nearest `ssm.train` step before it produced. */
        PipelineStep_ssm_score: {
            /** @constant */
            kind: "ssm.score";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description A trained model (GET /v1/models).
                 */
                modelId?: string;
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
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
        };
        /** @description Compute and store every user's online state (the model's recurrent state after their history) for online recommendations. */
        PipelineStep_ssm_prime: {
            /** @constant */
            kind: "ssm.prime";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description A trained model (GET /v1/models).
                 */
                modelId: string;
                /**
                 * Format: uuid
                 * @description Whose histories to replay (default the model's own dataset); items the model does not know are skipped.
                 */
                datasetId?: string;
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
        };
        /** @description Minimise a QUBO with the native annealer (sa, loihi, tabu or auto); stores the best assignment. */
        PipelineStep_qubo_solve: {
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
                /** @description Or the problem inline (stored, then referenced by id): a QUBO `{ n, terms, offset? }` or an Ising problem `{ h, J, n?, offset? }`. */
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
                } | {
                    /** @description Spins (default: one more than the largest index). */
                    n?: number;
                    h?: number[] | {
                        [key: string]: number;
                    };
                    J?: [
                        number,
                        number,
                        number
                    ][];
                    offset?: number;
                };
                /** @description Defaults: mode auto, timeLimitMs 10000, seed 1, restarts true. */
                params?: {
                    /** @enum {string} */
                    mode?: "auto" | "sa" | "loihi" | "tabu" | "multispin" | "memetic";
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
                    /** @description Distinct final states to keep (a sample set, GET /v1/qubo/solutions/{jobId}/samples): 1 (default) keeps the best state alone; up to 1000, the distinct final states of all replicas with energy and count, best first. */
                    numReads?: number;
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
        };
        CreatePipeline: {
            /** @description A label for lists. */
            name?: string;
            /** @description Run one after another: each step is submitted when the one before it completed. */
            steps: (components["schemas"]["PipelineStep_ssm_train"] | components["schemas"]["PipelineStep_ssm_score"] | components["schemas"]["PipelineStep_ssm_prime"] | components["schemas"]["PipelineStep_qubo_solve"])[];
        };
        /** @description A numeric range, drawn from by strategy "random" (integer fields get whole numbers). */
        SearchRange: {
            min: number;
            max: number;
            /** @description Draw log-uniformly (min > 0), as for learning rates. */
            log?: boolean;
        };
        /** @description The ssm.train request every trial starts from (its `model` and `training` settings, `preset`, the model `name`); a searched field overrides it. */
        TuneBase: {
            /** @description The model name (default mamba4rec-<dataset name>). */
            name?: string;
            /**
             * @description Where the defaults come from: 'default' (Kiln's preset, ADR 11, with maxLen, dropout, batchSize and maxEpochs from the dataset's shape) or 'paper' (the Mamba4Rec paper's run).
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
                 * @description length: samples of similar length batched together (less padding); random: drawn at random.
                 * @enum {string}
                 */
                batching?: "length" | "random";
                /** @description All-position only: windows per user per epoch (1: each target once; more: extra windows ending at random positions, drawn every epoch). */
                crops?: number;
            };
        };
        CreateTune: {
            /** @description A label for lists. */
            name?: string;
            /**
             * Format: uuid
             * @description The dataset every trial trains on (POST /v1/datasets).
             */
            datasetId: string;
            base?: components["schemas"]["TuneBase"];
            /** @description The fields to search, by name (`model.<field>` or `training.<field>` of the ssm.train payload), each a list of values or (strategy "random") a `{ min, max, log? }` range within what the contract accepts for it: `{ "training.lr": { "min": 0.0005, "max": 0.005, "log": true }, "model.dropout": [0.1, 0.2, 0.3] }`. */
            search: {
                [key: string]: (number | string | boolean)[] | components["schemas"]["SearchRange"];
            };
            /**
             * @description grid: the cartesian product of the lists (fields by name, the last varying fastest), its first `maxTrials` points; random: `maxTrials` seeded draws.
             * @default grid
             * @enum {string}
             */
            strategy: "grid" | "random";
            /** @description The budget: trials at most (required for random; a grid defaults to all its points, up to 64). */
            maxTrials?: number;
            /**
             * @description Trials run at once.
             * @default 1
             */
            parallelism: number;
            /** @description Seeds the random draws (default: drawn at create, and shown): the same search, budget and seed give the same trials. */
            seed?: number;
        };
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
                 * @description Where the defaults come from: 'default' (Kiln's preset, ADR 11, with maxLen, dropout, batchSize and maxEpochs from the dataset's shape) or 'paper' (the Mamba4Rec paper's run).
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
                     * @description length: samples of similar length batched together (less padding); random: drawn at random.
                     * @enum {string}
                     */
                    batching?: "length" | "random";
                    /** @description All-position only: windows per user per epoch (1: each target once; more: extra windows ending at random positions, drawn every epoch). */
                    crops?: number;
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
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
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
        };
        /** @description Compute and store every user's online state (the model's recurrent state after their history) for online recommendations. */
        Submit_ssm_prime: {
            /** @constant */
            kind: "ssm.prime";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description A trained model (GET /v1/models).
                 */
                modelId: string;
                /**
                 * Format: uuid
                 * @description Whose histories to replay (default the model's own dataset); items the model does not know are skipped.
                 */
                datasetId?: string;
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
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
                /** @description Or the problem inline (stored, then referenced by id): a QUBO `{ n, terms, offset? }` or an Ising problem `{ h, J, n?, offset? }`. */
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
                } | {
                    /** @description Spins (default: one more than the largest index). */
                    n?: number;
                    h?: number[] | {
                        [key: string]: number;
                    };
                    J?: [
                        number,
                        number,
                        number
                    ][];
                    offset?: number;
                };
                /** @description Defaults: mode auto, timeLimitMs 10000, seed 1, restarts true. */
                params?: {
                    /** @enum {string} */
                    mode?: "auto" | "sa" | "loihi" | "tabu" | "multispin" | "memetic";
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
                    /** @description Distinct final states to keep (a sample set, GET /v1/qubo/solutions/{jobId}/samples): 1 (default) keeps the best state alone; up to 1000, the distinct final states of all replicas with energy and count, best first. */
                    numReads?: number;
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
        };
        SubmitJob: components["schemas"]["Submit_ssm_train"] | components["schemas"]["Submit_ssm_score"] | components["schemas"]["Submit_ssm_prime"] | components["schemas"]["Submit_qubo_solve"];
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
                 * @description Where the defaults come from: 'default' (Kiln's preset, ADR 11, with maxLen, dropout, batchSize and maxEpochs from the dataset's shape) or 'paper' (the Mamba4Rec paper's run).
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
                     * @description length: samples of similar length batched together (less padding); random: drawn at random.
                     * @enum {string}
                     */
                    batching?: "length" | "random";
                    /** @description All-position only: windows per user per epoch (1: each target once; more: extra windows ending at random positions, drawn every epoch). */
                    crops?: number;
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
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
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
            /** @description This item's own Idempotency-Key. */
            idempotencyKey?: string;
        };
        /** @description Compute and store every user's online state (the model's recurrent state after their history) for online recommendations. */
        BatchItem_ssm_prime: {
            /** @constant */
            kind: "ssm.prime";
            payload: {
                /** @constant */
                version?: 1;
                /**
                 * Format: uuid
                 * @description A trained model (GET /v1/models).
                 */
                modelId: string;
                /**
                 * Format: uuid
                 * @description Whose histories to replay (default the model's own dataset); items the model does not know are skipped.
                 */
                datasetId?: string;
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
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
                /** @description Or the problem inline (stored, then referenced by id): a QUBO `{ n, terms, offset? }` or an Ising problem `{ h, J, n?, offset? }`. */
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
                } | {
                    /** @description Spins (default: one more than the largest index). */
                    n?: number;
                    h?: number[] | {
                        [key: string]: number;
                    };
                    J?: [
                        number,
                        number,
                        number
                    ][];
                    offset?: number;
                };
                /** @description Defaults: mode auto, timeLimitMs 10000, seed 1, restarts true. */
                params?: {
                    /** @enum {string} */
                    mode?: "auto" | "sa" | "loihi" | "tabu" | "multispin" | "memetic";
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
                    /** @description Distinct final states to keep (a sample set, GET /v1/qubo/solutions/{jobId}/samples): 1 (default) keeps the best state alone; up to 1000, the distinct final states of all replicas with energy and count, best first. */
                    numReads?: number;
                };
            };
            options?: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
            /** @description This item's own Idempotency-Key. */
            idempotencyKey?: string;
        };
        SubmitBatch: {
            jobs: (components["schemas"]["BatchItem_ssm_train"] | components["schemas"]["BatchItem_ssm_score"] | components["schemas"]["BatchItem_ssm_prime"] | components["schemas"]["BatchItem_qubo_solve"])[];
        };
        CreateSchedule: {
            name: string;
            /** @description A cron expression (5 fields, or 6 with seconds first), e.g. `0 3 * * *` for 03:00 every day. Give cron or everyMs. */
            cron?: string;
            /** @description Fire every this many milliseconds (from the first firing, at once). */
            everyMs?: number;
            /** @description The IANA time zone of a cron expression (default UTC). */
            tz?: string;
            /** @description What each firing submits: `{ job: <POST /v1/jobs body> }` or `{ pipeline: <POST /v1/pipelines body> }`. */
            target: {
                /** @description A `POST /v1/jobs` body. */
                job: components["schemas"]["SubmitJob"];
            } | {
                /** @description A `POST /v1/pipelines` body. */
                pipeline: components["schemas"]["CreatePipeline"];
            };
        };
        CreateWebhook: {
            /** Format: uri */
            url: string;
            /** @description Job kinds to send (default: every kind). */
            kinds?: ("ssm.train" | "ssm.score" | "ssm.prime" | "qubo.solve")[];
            /** @description Job states to send (default: completed, failed, cancelled). */
            states?: ("waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled")[];
        };
        UserEvents: {
            /** @description The user's new events, oldest first: external item ids of the model's dataset. */
            items: string[];
            /** @description How many items to answer (default 10). */
            k?: number;
            /** @description Leave out items already in the user's history (default true). */
            excludeSeen?: boolean;
        };
        /** @description An error: `{ error: { code, message, details? } }`. */
        Error: {
            error: {
                /** @enum {string} */
                code: "KILN_ERR_VALIDATION" | "KILN_ERR_MEDIA_TYPE" | "KILN_ERR_BODY_TOO_LARGE" | "KILN_ERR_UNAUTHENTICATED" | "KILN_ERR_FORBIDDEN" | "KILN_ERR_CSRF" | "KILN_ERR_RATE_LIMITED" | "KILN_ERR_HEADERS_TOO_LARGE" | "KILN_ERR_RESOURCE_LIMIT" | "KILN_ERR_DATASET_TOO_SMALL" | "KILN_ERR_QUBO_RANGE" | "KILN_ERR_NOT_FOUND" | "KILN_ERR_CONFLICT" | "KILN_ERR_IDEMPOTENCY_CONFLICT" | "KILN_ERR_IN_USE" | "KILN_ERR_DATASET_PARSE" | "KILN_ERR_DATASET_EMPTY" | "KILN_ERR_QUBO_PARSE" | "KILN_ERR_QUBO_INDEX" | "KILN_ERR_QUBO_NONFINITE" | "KILN_ERR_QUBO_TOO_LARGE" | "KILN_ERR_DATASET_UNKNOWN" | "KILN_ERR_MODEL_UNKNOWN" | "KILN_ERR_ITEM_UNKNOWN" | "KILN_ERR_PROBLEM_UNKNOWN" | "KILN_ERR_PAYLOAD_INVALID" | "KILN_ERR_MODEL_NONFINITE" | "KILN_ERR_JOB_CANCELLED" | "KILN_ERR_UNAVAILABLE" | "KILN_ERR_TIMEOUT" | "KILN_ERR_INTERNAL" | "KILN_ERR_DASHBOARD_UPSTREAM" | "KILN_ERR_WEBHOOK_URL";
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
                     * @description length: samples of similar length batched together (less padding); random: drawn at random.
                     * @enum {string}
                     */
                    batching?: "length" | "random";
                    /** @description All-position only: windows per user per epoch (1: each target once; more: extra windows ending at random positions, drawn every epoch). */
                    crops?: number;
                };
            };
            options: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
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
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
            };
            cancelRequested: boolean;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            finishedAt: string | null;
        } | {
            id: string;
            /** @constant */
            kind: "ssm.prime";
            /** @enum {string} */
            state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
            /** @description The latest progress report (live from the queue while the job runs). */
            progress: {
                /** @constant */
                kind: "ssm.prime";
                done: number;
                total: number;
            } | null;
            /** @description Attempts started so far. */
            attempts: number;
            result: {
                /** Format: uuid */
                modelId: string;
                /** Format: uuid */
                datasetId: string;
                /** @description Users whose online state was written. */
                users: number;
                /** @description Interactions with items the model does not know (another dataset's), left out. */
                skippedItems: number;
                /** @description Mean stored bytes per user. */
                stateBytesPerUser: number;
                computeSeconds: number;
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
                /** Format: uuid */
                datasetId: string;
            };
            options: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
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
                /** @description Distinct states in the sample set (1 unless numReads > 1). */
                samples?: number;
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
                    mode: "auto" | "sa" | "loihi" | "tabu" | "multispin" | "memetic";
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
                    /** @description Distinct final states to keep (a sample set, GET /v1/qubo/solutions/{jobId}/samples): 1 (default) keeps the best state alone; up to 1000, the distinct final states of all replicas with energy and count, best first. */
                    numReads?: number;
                };
            };
            options: {
                /** @description BullMQ priority: 0 (default) first, then 1 (highest) … 2²¹ − 1. */
                priority?: number;
                /** @description Run no earlier than this many ms from now. */
                delayMs?: number;
                /** @description Attempts in all (default: the kind's). */
                attempts?: number;
                /**
                 * Format: uri
                 * @description POSTed the job's final state (completed, failed, cancelled), signed with the submitting key's callback secret (`POST /v1/webhooks/callback-secret`; header `Kiln-Signature`, docs/adr/0019).
                 */
                callbackUrl?: string;
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
            kind: "ssm.train" | "ssm.score" | "ssm.prime" | "qubo.solve";
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
            /** @description An Ising problem: s_i = 2x_i − 1 per variable (−1 or +1); energies are in Ising terms. */
            spins?: number[];
            /** @description Distinct states in the sample set (GET /v1/qubo/solutions/{jobId}/samples): 1 unless numReads > 1. */
            numSamples: number;
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
        QuboSample: {
            /** @description 0 is the best. */
            rank: number;
            /** @description One '0' or '1' per variable. */
            assignment: string;
            /** @description An Ising problem: the spins (−1 or +1). */
            spins?: number[];
            energy: number;
            /** @description How many replicas ended in this state (the best state counts 1 when none did). */
            numOccurrences: number;
        };
        Queue: {
            name: string;
            /** @enum {string} */
            kind: "ssm.train" | "ssm.score" | "ssm.prime" | "qubo.solve";
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
        Pipeline: {
            id: string;
            name: string | null;
            /**
             * @description pending (no step has started), running, completed (every step), failed or cancelled (a step did, or a user cancelled it).
             * @enum {string}
             */
            state: "pending" | "running" | "completed" | "failed" | "cancelled";
            /** @description Why it failed or was cancelled: the step and its error. */
            error: {
                code: string;
                message: string;
                details?: unknown;
            } | null;
            steps: {
                index: number;
                /** @enum {string} */
                kind: "ssm.train" | "ssm.score" | "ssm.prime" | "qubo.solve";
                /**
                 * @description pending until its job is submitted, then its job's state; failed or cancelled when an earlier step ended the pipeline.
                 * @enum {string}
                 */
                state: "pending" | "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
                jobId: string | null;
                /** @description What the step submits (an ssm.score step gets its modelId when it is submitted). */
                payload: {
                    [key: string]: unknown;
                };
                error: {
                    code: string;
                    message: string;
                    details?: unknown;
                } | null;
            }[];
            createdAt: string;
            finishedAt: string | null;
        };
        TuneTrial: {
            index: number;
            /** @description This trial's values of the searched fields. */
            params: {
                [key: string]: number | string | boolean;
            };
            /**
             * @description pending until its job is submitted, then its job's state (cancelled: not run, its tune was cancelled).
             * @enum {string}
             */
            state: "pending" | "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
            jobId: string | null;
            /** @description The model its training stored. */
            modelId: string | null;
            /** @description Validation NDCG@10 at the model's best epoch (what the tune maximises). */
            objective: number | null;
            /** @description The model's validation metrics at its best epoch. */
            valid: {
                [key: string]: number;
            } | null;
            /** @description Its test metrics (for display only: trials are compared on validation). */
            test: {
                [key: string]: number;
            } | null;
            error: {
                code: string;
                message: string;
                details?: unknown;
            } | null;
            endedAt: string | null;
        };
        Tune: {
            id: string;
            name: string | null;
            /**
             * @description queued (no trial has started), running, completed (every trial ended and one at least scored), failed (every trial failed) or cancelled.
             * @enum {string}
             */
            state: "queued" | "running" | "completed" | "failed" | "cancelled";
            datasetId: string;
            /** @enum {string} */
            strategy: "grid" | "random";
            /**
             * @description What is maximised: validation NDCG@10 (ties: the lower trial index).
             * @constant
             */
            objective: "valid.ndcg@10";
            base: {
                [key: string]: unknown;
            };
            search: {
                [key: string]: unknown;
            };
            maxTrials: number;
            parallelism: number;
            /** @description The random draws’ seed (null for a grid). */
            seed: number | null;
            space: {
                /** @description Combinations of the lists (null when a field is a range). */
                size: number | null;
                trials: number;
                /** @description A grid larger than the budget: only its first `maxTrials` points are tried. */
                truncated: boolean;
            };
            counts: {
                pending: number;
                running: number;
                completed: number;
                failed: number;
                cancelled: number;
            };
            /** @description The best trial once the tune ended (for a cancelled tune: the best of the trials that completed). */
            best: {
                trial: number;
                /** @description The best model (GET /v1/models/{id}). */
                modelId: string | null;
                objective: number;
                params: {
                    [key: string]: unknown;
                };
                test: {
                    [key: string]: number;
                } | null;
            } | null;
            error: {
                code: string;
                message: string;
                details?: unknown;
            } | null;
            trials: components["schemas"]["TuneTrial"][];
            createdAt: string;
            endedAt: string | null;
        };
        SubmittedBatch: {
            items: {
                id: string;
                /** @enum {string} */
                kind: "ssm.train" | "ssm.score" | "ssm.prime" | "qubo.solve";
                /** @enum {string} */
                state: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
                /** @description true: an earlier request under this Idempotency-Key made this job. */
                replayed: boolean;
            }[];
        };
        Schedule: {
            id: string;
            name: string;
            cron: string | null;
            everyMs: number | null;
            tz: string | null;
            /** @enum {string} */
            state: "active" | "paused";
            target: {
                [key: string]: unknown;
            };
            /** @description When it fires next (null while paused). */
            nextAt: string | null;
            createdAt: string;
            /** @description The latest firings, newest first, and what each created (one schedule only). */
            firings?: {
                /** @description The time the firing was due. */
                at: string;
                jobId: string | null;
                pipelineId: string | null;
                error: {
                    code: string;
                    message: string;
                } | null;
            }[];
        };
        Webhook: {
            id: string;
            url: string;
            /** @description Job kinds it is sent for (empty: every kind). */
            kinds: string[];
            /** @description Job states it is sent for (default: completed, failed, cancelled). */
            states: string[];
            /** Format: date-time */
            createdAt: string;
        };
        WebhookCreated: {
            id: string;
            url: string;
            /** @description Job kinds it is sent for (empty: every kind). */
            kinds: string[];
            /** @description Job states it is sent for (default: completed, failed, cancelled). */
            states: string[];
            /** Format: date-time */
            createdAt: string;
            /** @description The signing secret (`Kiln-Signature`): shown here only. */
            secret: string;
        };
        WebhookDelivery: {
            id: string;
            webhookId: string | null;
            jobId: string;
            eventId: string;
            /** @description job.<state> */
            event: string;
            url: string;
            attempt: number;
            /** @description The receiver's HTTP status (null: no answer). */
            status: number | null;
            durationMs: number;
            error: string | null;
            /** Format: date-time */
            createdAt: string;
        };
        ModelConfigFile: {
            /** @constant */
            format: "kiln.model";
            /** @constant */
            version: 1;
            /** @constant */
            architecture: "Mamba4Rec";
            config: {
                nItems: number;
                hiddenSize: number;
                numLayers: number;
                dState: number;
                dConv: number;
                expand: number;
                dropout: number;
                maxLen: number;
            };
            /** @description Item vocabulary: row r ≥ 1 of item_embedding is items[r - 1] (row 0 is padding). */
            items: string[];
            /** @description Every tensor, float32 (F32), in serialisation order. */
            tensors: {
                name: string;
                shape: number[];
            }[];
            /** @description Scoring reads at most the last maxLen items of a history. */
            maxLen: number;
            source?: {
                [key: string]: unknown;
            };
        };
        OnlineRecommendations: {
            modelId: string;
            user: string;
            /** @description Events in the user's state: the history primed from the dataset plus the events posted since. */
            events: number;
            /** @description The state's version: 0 for a user with no state, +1 per applied POST (concurrent POSTs for one user get distinct versions in the order applied). */
            version: number;
            /** @description Best first; empty for a user with no events. */
            items: {
                /** @description The item's external id. */
                item: string;
                score: number;
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
        WorkerConnection: {
            /** @description The queue this connection takes jobs from. */
            queue: string;
            kind: string;
            /** @description Redis's id of the connection (CLIENT LIST). */
            clientId: string;
            /** @description Host and port the worker connects from. */
            addr: string;
            /** @description How long the connection has been open. */
            connectedSeconds: number;
            /** @description Seconds since its last command (a worker blocked waiting for jobs shows the time since it started waiting). */
            idleSeconds: number;
            /**
             * Format: date-time
             * @description Now minus idleSeconds: the last time this connection sent Redis a command.
             */
            lastSeenAt: string;
        };
        ActiveJob: {
            id: string;
            kind: string;
            queue: string;
            /** @description The BullMQ worker holding the lock (its token id), or null when the lock is gone. */
            worker: string | null;
            startedAt: string | null;
            /** @description Until the job's lock expires unless renewed (a live worker renews it every half lock period); null when there is no lock. */
            lockExpiresInMs: number | null;
            /** @description Active but its lock is gone: its worker died; the stalled-job check will put it back (or fail it). */
            orphaned: boolean;
        };
        CallbackSecret: {
            secret: string;
            /** Format: date-time */
            createdAt: string;
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
            query?: {
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        items: components["schemas"]["Dataset"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    uploadDataset: {
        parameters: {
            query: {
                /** @description sasrec: `user item` lines in time order; seq: one user per line, `user item item ...` in time order (S3Rec's Amazon files); movielens: ratings.dat; recbole: .inter; csv: header user,item,timestamp. */
                format: "sasrec" | "seq" | "movielens" | "recbole" | "csv";
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
    deleteDataset: {
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
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
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
    listQuboProblems: {
        parameters: {
            query?: {
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        items: components["schemas"]["QuboProblem"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    uploadQuboProblems: {
        parameters: {
            query: {
                /** @description json: {n, terms, offset}; ising: {h, J, n?, offset?} over spins ±1 (stored as the QUBO with x = (s+1)/2 and the same energies); gset: a G-set graph; bqp: OR-Library (several problems: <name>-1..k); sparse: Biq Mac .sparse. */
                format: "json" | "ising" | "gset" | "bqp" | "sparse";
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
    deleteQuboProblem: {
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
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
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
    listQuboSolutions: {
        parameters: {
            query?: {
                problemId?: string;
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        items: components["schemas"]["QuboSolutionSummary"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    listQuboSamples: {
        parameters: {
            query?: {
                /** @description Samples per page. */
                limit?: number;
                /** @description The previous page's nextCursor. */
                cursor?: string;
            };
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
                    "application/json": {
                        items: components["schemas"]["QuboSample"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
                kind?: "ssm.train" | "ssm.score" | "ssm.prime" | "qubo.solve";
                state?: "waiting" | "delayed" | "active" | "completed" | "failed" | "cancelled";
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    deleteJob: {
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
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
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
                format?: "json" | "csv" | "jsonl" | "parquet";
                limit?: number;
                /** @description The previous page's nextCursor. */
                cursor?: string;
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
            /** @description A page of recommendations (JSON), or with `format=` the whole job as one file. */
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
                        /** @description Pass as `cursor` for the next page; null on the last. */
                        nextCursor: string | null;
                        /** @description The next page (path and query), or null on the last. */
                        next: string | null;
                    };
                    "text/csv": string;
                    "application/x-ndjson": string;
                    "application/vnd.apache.parquet": string;
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
    listPipelines: {
        parameters: {
            query?: {
                state?: "pending" | "running" | "completed" | "failed" | "cancelled";
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        items: components["schemas"]["Pipeline"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    createPipeline: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the create idempotent: the same key gives the same pipeline (200, `idempotent-replayed: true`). */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePipeline"];
            };
        };
        responses: {
            /** @description Replayed: this Idempotency-Key already made this pipeline. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"];
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
    getPipeline: {
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
                    "application/json": components["schemas"]["Pipeline"];
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
    cancelPipeline: {
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
                    "application/json": components["schemas"]["Pipeline"];
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Pipeline"];
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
    listSchedules: {
        parameters: {
            query?: {
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        items: components["schemas"]["Schedule"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    createSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateSchedule"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Schedule"];
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
    getSchedule: {
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
                    "application/json": components["schemas"]["Schedule"];
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
    deleteSchedule: {
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
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
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
    pauseSchedule: {
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
                    "application/json": components["schemas"]["Schedule"];
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
    resumeSchedule: {
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
                    "application/json": components["schemas"]["Schedule"];
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
    listTunes: {
        parameters: {
            query?: {
                state?: "queued" | "running" | "completed" | "failed" | "cancelled";
                /** @description Only this dataset's tunes. */
                datasetId?: string;
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        items: components["schemas"]["Tune"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    createTune: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes the create idempotent: the same key gives the same tune (200, `idempotent-replayed: true`). */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTune"];
            };
        };
        responses: {
            /** @description Replayed: this Idempotency-Key already made this tune. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tune"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tune"];
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
    getTune: {
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
                    "application/json": components["schemas"]["Tune"];
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
    cancelTune: {
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
                    "application/json": components["schemas"]["Tune"];
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tune"];
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
    listModels: {
        parameters: {
            query?: {
                datasetId?: string;
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        items: components["schemas"]["Model"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    uploadModel: {
        parameters: {
            query: {
                /** @description The dataset the model maps to (its users are scored, its item ids are the vocabulary). */
                datasetId: string;
                /** @description Model name (default: the name in the config, else "uploaded"); the version is the next of the name. */
                name?: string;
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
                    "application/json": components["schemas"]["Model"];
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
    deleteModel: {
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
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
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
    downloadModel: {
        parameters: {
            query?: {
                part?: "weights" | "config";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description `part=weights`: the safetensors file; `part=config`: its JSON config. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                    "application/json": components["schemas"]["ModelConfigFile"];
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
    postUserEvents: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The model. */
                id: string;
                /** @description The user's external id: one of the model's dataset, or any new one. */
                user: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserEvents"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OnlineRecommendations"];
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
    getUserRecommendations: {
        parameters: {
            query?: {
                /** @description How many items to answer (default 10). */
                k?: number;
                /** @description Leave out items already in the user's history (default true). */
                excludeSeen?: "true" | "false";
            };
            header?: never;
            path: {
                /** @description The model. */
                id: string;
                /** @description The user's external id: one of the model's dataset, or any new one. */
                user: string;
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
                    "application/json": components["schemas"]["OnlineRecommendations"];
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
    listWorkers: {
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
                        /** @description Every worker connection to Redis, per queue. */
                        items: components["schemas"]["WorkerConnection"][];
                        /** @description Every active job of every queue, with its lock's state. */
                        active: components["schemas"]["ActiveJob"][];
                        queues: {
                            name: string;
                            kind: string;
                            workers: number;
                            active: number;
                            orphaned: number;
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
            query?: {
                /** @description Items per page. */
                limit?: number;
                /** @description Where the page starts: the previous page's `nextCursor` (or follow its `next` URL, which carries it). */
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
                        items: components["schemas"]["ApiKey"][];
                        /** @description The relative URL of the next page (same filters and limit); null on the last page. Also in the `Link` header (rel="next"). */
                        next: string | null;
                        /** @description The cursor of the next page alone (pass as `cursor`); null on the last page. */
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
    getKey: {
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
    jobEvents: {
        parameters: {
            query?: never;
            header?: {
                /** @description Resume after this event (EventSource sends it by itself when it reconnects): every later event, none twice. */
                "last-event-id"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job's events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The Last-Event-ID is the final event: nothing follows. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
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
    events: {
        parameters: {
            query?: {
                /** @description One or more of ssm.train, ssm.score, ssm.prime, qubo.solve, comma-separated. */
                kind?: string;
                /** @description One or more of progress, state, result, comma-separated. */
                type?: string;
                /** @description One or more of waiting, delayed, active, completed, failed, cancelled, comma-separated. */
                state?: string;
            };
            header?: {
                /** @description Resume after this event (EventSource sends it by itself when it reconnects): every later event, none twice. */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The events. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
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
    listWebhooks: {
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
                        items: components["schemas"]["Webhook"][];
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
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhook"];
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
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
    deleteWebhook: {
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
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
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
    listWebhookDeliveries: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The previous page's nextCursor. */
                cursor?: string;
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
                        items: components["schemas"]["WebhookDelivery"][];
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
    listCallbackDeliveries: {
        parameters: {
            query?: {
                limit?: number;
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
                        items: components["schemas"]["WebhookDelivery"][];
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
    rotateCallbackSecret: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CallbackSecret"];
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
}
