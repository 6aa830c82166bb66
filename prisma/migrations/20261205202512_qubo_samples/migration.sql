-- CreateTable
CREATE TABLE "QuboSample" (
    "solutionId" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "assignment" TEXT NOT NULL,
    "energy" DOUBLE PRECISION NOT NULL,
    "numOccurrences" INTEGER NOT NULL,

    CONSTRAINT "QuboSample_pkey" PRIMARY KEY ("solutionId","rank")
);

-- AddForeignKey
ALTER TABLE "QuboSample" ADD CONSTRAINT "QuboSample_solutionId_fkey" FOREIGN KEY ("solutionId") REFERENCES "QuboSolution"("id") ON DELETE CASCADE ON UPDATE CASCADE;
