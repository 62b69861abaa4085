-- CreateTable
CREATE TABLE "documents" (
    "id" TEXT NOT NULL,
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

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "public_listings" (
    "case_id" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "subject_name" TEXT NOT NULL,
    "department" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "measures" JSONB NOT NULL,
    "decision_number" TEXT NOT NULL,
    "listed_from" TEXT NOT NULL,
    "listed_until" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),
    "removal_outcome" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "public_listings_pkey" PRIMARY KEY ("case_id")
);

-- CreateTable
CREATE TABLE "subject_entries" (
    "id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "organisation_id" TEXT NOT NULL,
    "organisation_name" TEXT NOT NULL,
    "listed_from" TEXT NOT NULL,
    "listed_until" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "removed_at" TIMESTAMPTZ(3),

    CONSTRAINT "subject_entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "documents_case_id_idx" ON "documents"("case_id");

-- CreateIndex
CREATE INDEX "documents_served_to_issued_at_idx" ON "documents"("served_to", "issued_at");

-- CreateIndex
CREATE INDEX "public_listings_status_listed_from_case_id_idx" ON "public_listings"("status", "listed_from", "case_id");

-- CreateIndex
CREATE INDEX "public_listings_subject_id_idx" ON "public_listings"("subject_id");

-- CreateIndex
CREATE INDEX "subject_entries_subject_id_idx" ON "subject_entries"("subject_id");

-- CreateIndex
CREATE INDEX "subject_entries_case_id_idx" ON "subject_entries"("case_id");
