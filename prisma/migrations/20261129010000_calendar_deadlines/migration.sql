-- CreateTable
CREATE TABLE "calendar_years" (
    "year" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "holidays" JSONB NOT NULL,
    "workdays" TEXT[],
    "loaded_at" TIMESTAMPTZ(3) NOT NULL,
    "loaded_by" TEXT NOT NULL,

    CONSTRAINT "calendar_years_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "policy_overrides" (
    "id" BIGSERIAL NOT NULL,
    "procedure" TEXT,
    "department" TEXT,
    "values" JSONB NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deadlines" (
    "id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "procedure" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "party" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "due_date" TEXT NOT NULL,
    "met_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "calendar_version" TEXT NOT NULL,
    "provisional" BOOLEAN NOT NULL,
    "basis" TEXT NOT NULL,
    "explanation" JSONB NOT NULL,
    "inputs" JSONB NOT NULL,
    "extended" BOOLEAN NOT NULL DEFAULT false,
    "version" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deadlines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "escalations" (
    "id" TEXT NOT NULL,
    "deadline_id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "detail" JSONB NOT NULL,

    CONSTRAINT "escalations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "policy_overrides_procedure_department_idx" ON "policy_overrides"("procedure", "department");

-- CreateIndex
CREATE INDEX "deadlines_status_due_at_id_idx" ON "deadlines"("status", "due_at", "id");

-- CreateIndex
CREATE INDEX "deadlines_department_status_due_at_id_idx" ON "deadlines"("department", "status", "due_at", "id");

-- CreateIndex
CREATE INDEX "deadlines_procedure_status_due_at_id_idx" ON "deadlines"("procedure", "status", "due_at", "id");

-- CreateIndex
CREATE INDEX "deadlines_case_id_idx" ON "deadlines"("case_id");

-- CreateIndex
CREATE INDEX "deadlines_provisional_status_idx" ON "deadlines"("provisional", "status");

-- CreateIndex
CREATE INDEX "deadlines_closed_at_department_idx" ON "deadlines"("closed_at", "department");

-- CreateIndex
CREATE INDEX "escalations_department_at_idx" ON "escalations"("department", "at");

-- CreateIndex
CREATE INDEX "escalations_at_id_idx" ON "escalations"("at", "id");
