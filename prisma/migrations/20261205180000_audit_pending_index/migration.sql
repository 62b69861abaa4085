-- The sequencer's batch (`WHERE seq IS NULL ORDER BY id LIMIT n`, db/audit-sequencer.ts) reads the pending entries off
-- an index that holds only them, whatever the log's size: a scan in id order would pass every linked entry first, and
-- the planner's idea of how many entries are pending is stale right after a burst of appends.
CREATE INDEX "audit_entries_pending_idx" ON "audit_entries" ("id") WHERE "seq" IS NULL;
