-- The workbench answered by an index (issue 23): whose turn a case is and its nearest deadline, kept on the case row,
-- so a department's page reads its first rows off one index however many cases are open.

-- Whose turn it is: the case's department, except an objection forwarded to a supplying department and a repair under
-- review by the department that decides it. Generated from the row itself, so no writer of cases can leave it behind.
ALTER TABLE "cases" ADD COLUMN "acting_department" TEXT GENERATED ALWAYS AS (
  CASE WHEN ("procedure" = 'objection' AND "state" = 'forwarded') OR ("procedure" = 'repair' AND "state" = 'under_review')
       THEN COALESCE("details"->>'decidingDepartment', "department") ELSE "department" END
) STORED;

-- The authority's nearest running deadline (a breached one while none runs), and, where there is none, the subject's
-- nearest open window: written by the projection (activities/case-records.ts) with the deadlines they come from.
ALTER TABLE "cases" ADD COLUMN "next_deadline_id" TEXT,
                    ADD COLUMN "next_due_at" TIMESTAMPTZ(3),
                    ADD COLUMN "waiting_deadline_id" TEXT,
                    ADD COLUMN "waiting_due_at" TIMESTAMPTZ(3);

UPDATE "cases" c
   SET "next_deadline_id" = d.id, "next_due_at" = d.due_at, "waiting_deadline_id" = s.id, "waiting_due_at" = s.due_at
  FROM "cases" x
  LEFT JOIN LATERAL (
    SELECT id, due_at FROM "deadlines"
     WHERE case_id = x.id AND status IN ('open', 'breached') AND party = 'authority'
     ORDER BY (status = 'open') DESC, due_at, id LIMIT 1
  ) d ON true
  LEFT JOIN LATERAL (
    SELECT id, due_at FROM "deadlines"
     WHERE d.id IS NULL AND case_id = x.id AND status = 'open' AND party = 'subject'
     ORDER BY due_at, id LIMIT 1
  ) s ON true
 WHERE x.id = c.id AND (d.id IS NOT NULL OR s.id IS NOT NULL);

-- The page's order (authority deadline, then the subject's window, then the most recently changed), open cases only.
CREATE INDEX "cases_workbench_idx" ON "cases" ("acting_department", "next_due_at", "waiting_due_at", "updated_at" DESC, "id")
  WHERE NOT "closed";
