-- CreateTable
CREATE TABLE "Tune" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "datasetId" TEXT NOT NULL,
    "base" JSONB NOT NULL,
    "search" JSONB NOT NULL,
    "strategy" TEXT NOT NULL,
    "maxTrials" INTEGER NOT NULL,
    "parallelism" INTEGER NOT NULL,
    "seed" INTEGER NOT NULL,
    "spaceSize" INTEGER,
    "state" TEXT NOT NULL DEFAULT 'queued',
    "error" JSONB,
    "bestTrial" INTEGER,
    "bestModelId" TEXT,
    "bestObjective" DOUBLE PRECISION,
    "idempotencyKey" TEXT,
    "apiKeyId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Tune_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TuneTrial" (
    "tuneId" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "params" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "jobId" TEXT,
    "modelId" TEXT,
    "objective" DOUBLE PRECISION,
    "metrics" JSONB,
    "error" JSONB,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "TuneTrial_pkey" PRIMARY KEY ("tuneId","idx")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tune_idempotencyKey_key" ON "Tune"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Tune_state_idx" ON "Tune"("state");

-- CreateIndex
CREATE INDEX "Tune_createdAt_idx" ON "Tune"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "TuneTrial_jobId_key" ON "TuneTrial"("jobId");

-- AddForeignKey
ALTER TABLE "TuneTrial" ADD CONSTRAINT "TuneTrial_tuneId_fkey" FOREIGN KEY ("tuneId") REFERENCES "Tune"("id") ON DELETE CASCADE ON UPDATE CASCADE;
