/**
 * The suite's witness inside its own Postgres: triggers (test instrumentation, installed after the
 * migrations, in the suite's throw-away cluster only) that record every insert, state change,
 * result rewrite and delete of a job row, and every write to a job's result rows, with the
 * database clock. A job completed twice, a result rewritten after completion, or an acknowledged
 * row deleted cannot then slip between two polls.
 */
import type { SqlPool } from '@kiln/db';

export const auditSql = `
CREATE TABLE IF NOT EXISTS "faults_audit" (
  "seq" bigserial PRIMARY KEY,
  "at" timestamptz NOT NULL DEFAULT clock_timestamp(),
  "tbl" text NOT NULL,
  "op" text NOT NULL,
  "jobId" text,
  "oldState" text,
  "newState" text,
  "oldResult" jsonb,
  "newResult" jsonb,
  "oldFinished" timestamptz,
  "newFinished" timestamptz,
  "extra" jsonb
);
CREATE INDEX IF NOT EXISTS "faults_audit_job" ON "faults_audit" ("jobId");

CREATE OR REPLACE FUNCTION faults_audit_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "faults_audit" ("tbl", "op", "jobId", "newState") VALUES ('Job', 'insert', NEW."id", NEW."state"::text);
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "faults_audit" ("tbl", "op", "jobId", "oldState", "oldResult") VALUES ('Job', 'delete', OLD."id", OLD."state"::text, OLD."result");
  ELSIF NEW."state" IS DISTINCT FROM OLD."state" OR NEW."result" IS DISTINCT FROM OLD."result" OR NEW."finishedAt" IS DISTINCT FROM OLD."finishedAt" THEN
    INSERT INTO "faults_audit" ("tbl", "op", "jobId", "oldState", "newState", "oldResult", "newResult", "oldFinished", "newFinished", "extra")
    VALUES ('Job', 'update', NEW."id", OLD."state"::text, NEW."state"::text,
            CASE WHEN NEW."result" IS DISTINCT FROM OLD."result" THEN OLD."result" END,
            CASE WHEN NEW."result" IS DISTINCT FROM OLD."result" THEN NEW."result" END,
            OLD."finishedAt", NEW."finishedAt", jsonb_build_object('attempts', NEW."attempts", 'error', NEW."error"));
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS faults_audit_job ON "Job";
CREATE TRIGGER faults_audit_job AFTER INSERT OR UPDATE OR DELETE ON "Job" FOR EACH ROW EXECUTE FUNCTION faults_audit_job();

CREATE OR REPLACE FUNCTION faults_audit_result() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO "faults_audit" ("tbl", "op", "jobId", "extra") VALUES (TG_TABLE_NAME, 'delete', OLD."jobId", to_jsonb(OLD) - 'weights' - 'trace' - 'items' - 'scores');
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO "faults_audit" ("tbl", "op", "jobId", "extra")
    VALUES (TG_TABLE_NAME, 'update', NEW."jobId", jsonb_build_object('old', to_jsonb(OLD) - 'weights' - 'trace' - 'params', 'new', to_jsonb(NEW) - 'weights' - 'trace' - 'params'));
  ELSE
    INSERT INTO "faults_audit" ("tbl", "op", "jobId") VALUES (TG_TABLE_NAME, 'insert', NEW."jobId");
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS faults_audit_solution ON "QuboSolution";
CREATE TRIGGER faults_audit_solution AFTER INSERT OR UPDATE OR DELETE ON "QuboSolution" FOR EACH ROW EXECUTE FUNCTION faults_audit_result();
DROP TRIGGER IF EXISTS faults_audit_model ON "Model";
CREATE TRIGGER faults_audit_model AFTER INSERT OR UPDATE OR DELETE ON "Model" FOR EACH ROW EXECUTE FUNCTION faults_audit_result();
-- Recommendations: only rewrites and deletes (inserts are one per user and job; ON CONFLICT DO NOTHING keeps the first).
DROP TRIGGER IF EXISTS faults_audit_recommendation ON "Recommendation";
CREATE TRIGGER faults_audit_recommendation AFTER UPDATE OR DELETE ON "Recommendation" FOR EACH ROW EXECUTE FUNCTION faults_audit_result();
`;

export async function installAudit(pool: SqlPool): Promise<void> {
  await pool.query(auditSql);
}

export interface AuditEvent {
  seq: number;
  at: Date;
  tbl: string;
  op: string;
  jobId: string | null;
  oldState: string | null;
  newState: string | null;
  oldResult: unknown;
  newResult: unknown;
  oldFinished: Date | null;
  newFinished: Date | null;
  extra: Record<string, unknown> | null;
}

export async function readAudit(pool: SqlPool): Promise<AuditEvent[]> {
  const res = await pool.query<AuditEvent>(`SELECT * FROM "faults_audit" ORDER BY "seq"`);
  return res.rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/** The database times at which a job row became completed (each transition into it), in order. */
export function completions(events: AuditEvent[]): Array<{ jobId: string; at: number }> {
  return events
    .filter((e) => e.tbl === 'Job' && e.op === 'update' && e.newState === 'completed' && e.oldState !== 'completed' && e.jobId)
    .map((e) => ({ jobId: e.jobId as string, at: e.at.getTime() }));
}
