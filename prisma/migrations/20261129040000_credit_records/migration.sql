-- CreateTable
CREATE TABLE "credit_records" (
    "id" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subject_name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "document_number" TEXT NOT NULL,
    "decided_on" TEXT NOT NULL,
    "severity" TEXT,
    "department" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "public_until" TEXT,
    "public_min_until" TEXT,
    "publicity" JSONB NOT NULL,
    "listing_case_id" TEXT,
    "open_objection_id" TEXT,
    "objection_since" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "credit_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "record_events" (
    "id" BIGSERIAL NOT NULL,
    "record_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "department" TEXT,
    "action" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "event_key" TEXT,

    CONSTRAINT "record_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "credit_records_subject_id_created_at_id_idx" ON "credit_records"("subject_id", "created_at", "id");

-- CreateIndex
CREATE INDEX "credit_records_department_created_at_idx" ON "credit_records"("department", "created_at");

-- CreateIndex
CREATE INDEX "credit_records_listing_case_id_idx" ON "credit_records"("listing_case_id");

-- CreateIndex
CREATE UNIQUE INDEX "record_events_event_key_key" ON "record_events"("event_key");

-- CreateIndex
CREATE INDEX "record_events_record_id_at_id_idx" ON "record_events"("record_id", "at", "id");

-- A record's history is evidence (Art 39: no tampering, hiding or deleting outside the procedures).
CREATE FUNCTION record_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'record_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER record_events_no_update_delete
  BEFORE UPDATE OR DELETE ON "record_events"
  FOR EACH ROW EXECUTE FUNCTION record_events_refuse_change();

CREATE TRIGGER record_events_no_truncate
  BEFORE TRUNCATE ON "record_events"
  FOR EACH STATEMENT EXECUTE FUNCTION record_events_refuse_change();

-- Credit records are never deleted: deletion under the objection procedure is a status kept with its history.
CREATE FUNCTION credit_records_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'credit_records are never deleted: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER credit_records_no_delete
  BEFORE DELETE ON "credit_records"
  FOR EACH ROW EXECUTE FUNCTION credit_records_refuse_delete();

CREATE TRIGGER credit_records_no_truncate
  BEFORE TRUNCATE ON "credit_records"
  FOR EACH STATEMENT EXECUTE FUNCTION credit_records_refuse_delete();
