-- The supervisors' summary at 1,000,000 deadlines (bench/deadlines.bench.ts): open counts per department
-- read a small index led by status; closed-period figures read one index range per department.

-- DropIndex
DROP INDEX "deadlines_closed_at_department_idx";

-- CreateIndex
CREATE INDEX "deadlines_status_department_due_at_idx" ON "deadlines"("status", "department", "due_at");

-- CreateIndex
CREATE INDEX "deadlines_department_closed_at_covering_idx" ON "deadlines"("department", "closed_at", "status", "met_at", "due_at", "starts_at");
