-- Filings the API refused because their window or their case had closed: kept so that a window that a later
-- official holiday schedule ends later is judged with what the subject sent in it (DOMAIN.md "Deadlines").
CREATE TABLE "late_filings" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TEXT,
    "reason" TEXT NOT NULL,
    "body" JSONB NOT NULL,

    CONSTRAINT "late_filings_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "late_filings_case_id_at_idx" ON "late_filings"("case_id", "at");
