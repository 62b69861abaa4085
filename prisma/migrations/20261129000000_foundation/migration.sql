-- CreateEnum
CREATE TYPE "DepartmentKind" AS ENUM ('credit_agency', 'supplying');

-- CreateEnum
CREATE TYPE "MeasureLevel" AS ENUM ('general', 'serious');

-- CreateTable
CREATE TABLE "departments" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "DepartmentKind" NOT NULL,

    CONSTRAINT "departments_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "measures" (
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "level" "MeasureLevel" NOT NULL,
    "basis" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "max_years" INTEGER,

    CONSTRAINT "measures_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "cases" (
    "id" TEXT NOT NULL,
    "procedure" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "closed" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subject_name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "allowed_actions" TEXT[],
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "timeline_entries" (
    "case_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" JSONB NOT NULL,

    CONSTRAINT "timeline_entries_pkey" PRIMARY KEY ("case_id","seq")
);

-- CreateTable
CREATE TABLE "audit_entries" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "case_id" TEXT,
    "subject_id" TEXT,
    "detail" JSONB NOT NULL,
    "event_key" TEXT,
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "actor" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "body_hash" TEXT NOT NULL,
    "resource_id" TEXT,
    "status" INTEGER,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("actor","key")
);

-- CreateIndex
CREATE INDEX "cases_procedure_state_created_at_id_idx" ON "cases"("procedure", "state", "created_at", "id");

-- CreateIndex
CREATE INDEX "cases_subject_id_created_at_id_idx" ON "cases"("subject_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "cases_department_created_at_id_idx" ON "cases"("department", "created_at", "id");

-- CreateIndex
CREATE INDEX "cases_created_at_id_idx" ON "cases"("created_at", "id");

-- CreateIndex
CREATE UNIQUE INDEX "audit_entries_event_key_key" ON "audit_entries"("event_key");

-- CreateIndex
CREATE INDEX "audit_entries_case_id_seq_idx" ON "audit_entries"("case_id", "seq");

-- CreateIndex
CREATE INDEX "audit_entries_subject_id_seq_idx" ON "audit_entries"("subject_id", "seq");

-- CreateIndex
CREATE INDEX "audit_entries_actor_seq_idx" ON "audit_entries"("actor", "seq");

-- CreateIndex
CREATE INDEX "audit_entries_at_idx" ON "audit_entries"("at");

-- AddForeignKey
ALTER TABLE "timeline_entries" ADD CONSTRAINT "timeline_entries_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below this line: what Prisma's schema language cannot express.

-- The audit log is append-only: the database itself refuses to change or remove an entry,
-- whatever the application does. Tampering needs a superuser bypassing triggers, and
-- GET /v1/audit/verify finds that through the hash chain.
CREATE FUNCTION audit_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_entries_no_update_delete
  BEFORE UPDATE OR DELETE ON "audit_entries"
  FOR EACH ROW EXECUTE FUNCTION audit_entries_refuse_change();

CREATE TRIGGER audit_entries_no_truncate
  BEFORE TRUNCATE ON "audit_entries"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON "audit_entries" FROM PUBLIC;
