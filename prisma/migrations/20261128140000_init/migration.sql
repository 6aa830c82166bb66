-- CreateEnum
CREATE TYPE "JobState" AS ENUM ('waiting', 'delayed', 'active', 'completed', 'failed', 'cancelled');

-- CreateTable
CREATE TABLE "Dataset" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "kcore" INTEGER NOT NULL,
    "users" INTEGER NOT NULL,
    "items" INTEGER NOT NULL,
    "interactions" INTEGER NOT NULL,
    "rawInteractions" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DatasetItem" (
    "datasetId" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,

    CONSTRAINT "DatasetItem_pkey" PRIMARY KEY ("datasetId","idx")
);

-- CreateTable
CREATE TABLE "DatasetUser" (
    "datasetId" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "externalId" TEXT NOT NULL,
    "items" INTEGER[],

    CONSTRAINT "DatasetUser_pkey" PRIMARY KEY ("datasetId","idx")
);

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "state" "JobState" NOT NULL DEFAULT 'waiting',
    "payload" JSONB NOT NULL,
    "options" JSONB NOT NULL,
    "progress" JSONB,
    "result" JSONB,
    "error" JSONB,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "datasetId" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "backend" TEXT,
    "bestEpoch" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EpochMetric" (
    "runId" TEXT NOT NULL,
    "epoch" INTEGER NOT NULL,
    "loss" DOUBLE PRECISION NOT NULL,
    "valid" JSONB NOT NULL,
    "seconds" DOUBLE PRECISION NOT NULL,
    "trainSeconds" DOUBLE PRECISION NOT NULL,
    "validSeconds" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EpochMetric_pkey" PRIMARY KEY ("runId","epoch")
);

-- CreateTable
CREATE TABLE "Model" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "datasetId" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "config" JSONB NOT NULL,
    "weights" BYTEA NOT NULL,
    "metrics" JSONB NOT NULL,
    "epochs" JSONB NOT NULL,
    "backend" TEXT NOT NULL,
    "parameters" INTEGER NOT NULL,
    "bestEpoch" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recommendation" (
    "jobId" TEXT NOT NULL,
    "userIdx" INTEGER NOT NULL,
    "modelId" TEXT NOT NULL,
    "userExternalId" TEXT NOT NULL,
    "items" TEXT[],
    "scores" DOUBLE PRECISION[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Recommendation_pkey" PRIMARY KEY ("jobId","userIdx")
);

-- CreateTable
CREATE TABLE "QuboProblem" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sense" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "numTerms" INTEGER NOT NULL,
    "offset" DOUBLE PRECISION NOT NULL,
    "terms" BYTEA NOT NULL,
    "graph" BYTEA,
    "meta" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuboProblem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuboSolution" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "problemId" TEXT,
    "kind" TEXT NOT NULL,
    "n" INTEGER NOT NULL,
    "energy" DOUBLE PRECISION NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "feasible" BOOLEAN NOT NULL,
    "assignment" TEXT NOT NULL,
    "timeToBestMs" DOUBLE PRECISION NOT NULL,
    "elapsedMs" DOUBLE PRECISION NOT NULL,
    "flipAttempts" DOUBLE PRECISION NOT NULL,
    "mode" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "trace" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuboSolution_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "DatasetItem_datasetId_externalId_key" ON "DatasetItem"("datasetId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "DatasetUser_datasetId_externalId_key" ON "DatasetUser"("datasetId", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Job_idempotencyKey_key" ON "Job"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Job_kind_state_createdAt_idx" ON "Job"("kind", "state", "createdAt");

-- CreateIndex
CREATE INDEX "Job_createdAt_idx" ON "Job"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TrainingRun_jobId_key" ON "TrainingRun"("jobId");

-- CreateIndex
CREATE UNIQUE INDEX "Model_jobId_key" ON "Model"("jobId");

-- CreateIndex
CREATE UNIQUE INDEX "Model_name_version_key" ON "Model"("name", "version");

-- CreateIndex
CREATE INDEX "Recommendation_modelId_userExternalId_idx" ON "Recommendation"("modelId", "userExternalId");

-- CreateIndex
CREATE UNIQUE INDEX "QuboSolution_jobId_key" ON "QuboSolution"("jobId");

-- CreateIndex
CREATE INDEX "QuboSolution_problemId_idx" ON "QuboSolution"("problemId");

-- AddForeignKey
ALTER TABLE "DatasetItem" ADD CONSTRAINT "DatasetItem_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DatasetUser" ADD CONSTRAINT "DatasetUser_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EpochMetric" ADD CONSTRAINT "EpochMetric_runId_fkey" FOREIGN KEY ("runId") REFERENCES "TrainingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Model" ADD CONSTRAINT "Model_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
