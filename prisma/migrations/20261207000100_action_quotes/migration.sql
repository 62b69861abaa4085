-- Issue 23: steps an action's caller works out ahead (ActionQuotes in workflows/common/case-types.ts).
-- The facts a case opened with (its workflow input), written by its opening change: the API renders its documents
-- ahead from them.
CREATE TABLE "case_inputs" (
    "case_id" TEXT NOT NULL,
    "procedure" TEXT NOT NULL,
    "input" JSONB NOT NULL,

    CONSTRAINT "case_inputs_pkey" PRIMARY KEY ("case_id")
);

-- A document the API rendered ahead for an action it sends (one row per Update and document). The change that takes
-- it moves it into "documents" (whoever writes that change); the rest go with the action's handover.
CREATE TABLE "quoted_documents" (
    "update_id" TEXT NOT NULL,
    "document_id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "fields" JSONB NOT NULL,
    "html" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "served_to" TEXT,
    "served_method" TEXT,
    "served_at" TIMESTAMPTZ(3),

    CONSTRAINT "quoted_documents_pkey" PRIMARY KEY ("update_id", "document_id")
);

CREATE INDEX "quoted_documents_document_id_sha256_idx" ON "quoted_documents"("document_id", "sha256");
