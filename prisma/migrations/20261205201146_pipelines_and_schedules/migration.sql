-- CreateTable
CREATE TABLE "Pipeline" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "error" JSONB,
    "idempotencyKey" TEXT,
    "apiKeyId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Pipeline_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PipelineStep" (
    "pipelineId" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "request" JSONB NOT NULL,
    "options" JSONB,
    "state" TEXT NOT NULL DEFAULT 'pending',
    "jobId" TEXT,
    "error" JSONB,

    CONSTRAINT "PipelineStep_pkey" PRIMARY KEY ("pipelineId","idx")
);

-- CreateTable
CREATE TABLE "Schedule" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cron" TEXT,
    "everyMs" INTEGER,
    "tz" TEXT,
    "target" JSONB NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'active',
    "apiKeyId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Schedule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScheduleFiring" (
    "scheduleId" TEXT NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL,
    "jobId" TEXT,
    "pipelineId" TEXT,
    "error" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScheduleFiring_pkey" PRIMARY KEY ("scheduleId","firedAt")
);

-- CreateIndex
CREATE UNIQUE INDEX "Pipeline_idempotencyKey_key" ON "Pipeline"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Pipeline_state_idx" ON "Pipeline"("state");

-- CreateIndex
CREATE INDEX "Pipeline_createdAt_idx" ON "Pipeline"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PipelineStep_jobId_key" ON "PipelineStep"("jobId");

-- CreateIndex
CREATE INDEX "Schedule_createdAt_idx" ON "Schedule"("createdAt");

-- AddForeignKey
ALTER TABLE "PipelineStep" ADD CONSTRAINT "PipelineStep_pipelineId_fkey" FOREIGN KEY ("pipelineId") REFERENCES "Pipeline"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScheduleFiring" ADD CONSTRAINT "ScheduleFiring_scheduleId_fkey" FOREIGN KEY ("scheduleId") REFERENCES "Schedule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
