-- Issue 23: an action whose changes the API writes itself (the `takeAction` Update answers with them). A row is
-- written before the Update is sent and deleted in the transaction that writes the changes, so an API that dies in
-- between leaves it behind, and a sweeper (api/action-changes.ts) asks Temporal for the Update's outcome and writes it.
CREATE TABLE "action_handovers" (
    "update_id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "action_handovers_pkey" PRIMARY KEY ("update_id")
);

CREATE INDEX "action_handovers_sent_at_idx" ON "action_handovers"("sent_at");
