-- Record admission (issue 20): the public credit information catalogue (Art 32), the versions of the
-- published reference lists, and what a record says about its legal document, its penalty and its review (Art 34, 36).
CREATE TABLE "catalogue_items" (
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "article" TEXT NOT NULL,
    "departments" TEXT[],
    "penalty" BOOLEAN NOT NULL,
    "publicity" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "version" TEXT NOT NULL,

    CONSTRAINT "catalogue_items_pkey" PRIMARY KEY ("code")
);

CREATE TABLE "reference_versions" (
    "name" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "sources" JSONB NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reference_versions_pkey" PRIMARY KEY ("name")
);

-- Existing records were all released by the rules of their time; they keep `active` and their other statuses.
ALTER TABLE "credit_records" ADD COLUMN "issued_by" TEXT,
ADD COLUMN "article" TEXT,
ADD COLUMN "penalty" JSONB,
ADD COLUMN "reviewed_by" TEXT,
ADD COLUMN "reviewed_at" TIMESTAMPTZ(3),
ADD COLUMN "revision_by" TEXT,
ADD COLUMN "revision_department" TEXT;
