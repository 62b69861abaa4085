-- Issue 24: the exchange's outbox and its daily reconciliations, subjects' electronic service addresses with their
-- consent, and every message sent.
CREATE TABLE "exchange_outbox" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "subject_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "record_id" TEXT,
    "case_id" TEXT,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_attempt_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "refusal" JSONB,
    "delivered_at" TIMESTAMPTZ(3),
    "answer" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "exchange_outbox_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "exchange_outbox_seq_key" ON "exchange_outbox"("seq");
CREATE INDEX "exchange_outbox_status_subject_id_seq_idx" ON "exchange_outbox"("status", "subject_id", "seq");
CREATE INDEX "exchange_outbox_record_id_seq_idx" ON "exchange_outbox"("record_id", "seq");
CREATE INDEX "exchange_outbox_case_id_idx" ON "exchange_outbox"("case_id");
CREATE INDEX "exchange_outbox_occurred_at_idx" ON "exchange_outbox"("occurred_at");

CREATE TABLE "exchange_reconciliations" (
    "id" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "ran_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "local_count" INTEGER NOT NULL,
    "local_digest" TEXT NOT NULL,
    "platform_count" INTEGER,
    "platform_digest" TEXT,
    "resent" JSONB NOT NULL DEFAULT '[]',
    CONSTRAINT "exchange_reconciliations_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "exchange_reconciliations_ran_at_idx" ON "exchange_reconciliations"("ran_at");
CREATE INDEX "exchange_reconciliations_day_ran_at_idx" ON "exchange_reconciliations"("day", "ran_at");

CREATE TABLE "service_addresses" (
    "id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "consented_at" TIMESTAMPTZ(3) NOT NULL,
    "consent_document" TEXT NOT NULL,
    "consent_file_id" TEXT,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_by" TEXT,
    CONSTRAINT "service_addresses_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "service_addresses_subject_id_withdrawn_at_idx" ON "service_addresses"("subject_id", "withdrawn_at");

CREATE TABLE "outgoing_messages" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "to_address" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "subject_id" TEXT,
    "department" TEXT,
    "case_id" TEXT,
    "document_id" TEXT,
    "address_id" TEXT,
    "title" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "answer" TEXT,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "outgoing_messages_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "outgoing_messages_document_id_idx" ON "outgoing_messages"("document_id");
CREATE INDEX "outgoing_messages_case_id_attempted_at_idx" ON "outgoing_messages"("case_id", "attempted_at");
CREATE INDEX "outgoing_messages_department_attempted_at_idx" ON "outgoing_messages"("department", "attempted_at");
