-- One row per rendering: an action retried with its key renders its documents again under the same Update id, and a
-- rendering that differs from the first (a department renamed in between, a day later) is kept beside it, so the
-- change takes whichever one its case recorded.
ALTER TABLE "quoted_documents" DROP CONSTRAINT "quoted_documents_pkey";
ALTER TABLE "quoted_documents" ADD CONSTRAINT "quoted_documents_pkey" PRIMARY KEY ("update_id", "document_id", "sha256");
