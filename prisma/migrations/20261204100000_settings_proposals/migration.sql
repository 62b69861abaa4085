-- Proposals to change the city's legal settings, applied when a second supervisor approves (four eyes).
CREATE TABLE "settings_proposals" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "preview" JSONB NOT NULL,
    "proposed_by" TEXT NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_by" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "reasons" JSONB,
    "result" JSONB,

    CONSTRAINT "settings_proposals_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "settings_proposals_status_proposed_at_idx" ON "settings_proposals"("status", "proposed_at");
