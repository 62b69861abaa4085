-- CreateTable
CREATE TABLE "credit_reports" (
    "id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "sequence" INTEGER NOT NULL,
    "free" BOOLEAN NOT NULL,
    "as_of" TEXT NOT NULL,
    "generated_at" TIMESTAMPTZ(3) NOT NULL,
    "requested_by" TEXT NOT NULL,
    "fields" JSONB NOT NULL,
    "html" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "record_ids" TEXT[],

    CONSTRAINT "credit_reports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "credit_reports_subject_id_generated_at_idx" ON "credit_reports"("subject_id", "generated_at");

-- CreateIndex
CREATE UNIQUE INDEX "credit_reports_subject_id_year_sequence_key" ON "credit_reports"("subject_id", "year", "sequence");

-- An issued report is evidence of what was disclosed and of the quota it used (Art 39, 50): never changed or removed.
CREATE FUNCTION credit_reports_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'credit_reports is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER credit_reports_no_update_delete
  BEFORE UPDATE OR DELETE ON "credit_reports"
  FOR EACH ROW EXECUTE FUNCTION credit_reports_refuse_change();

CREATE TRIGGER credit_reports_no_truncate
  BEFORE TRUNCATE ON "credit_reports"
  FOR EACH STATEMENT EXECUTE FUNCTION credit_reports_refuse_change();
