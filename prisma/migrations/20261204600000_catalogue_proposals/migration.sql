-- Catalogue changes by proposal (issue 20): a provincial or city item a second supervisor approved keeps the
-- proposal that changed it (the loader leaves it as approved) and, when withdrawn, the time it was withdrawn.
ALTER TABLE "catalogue_items" ADD COLUMN "proposal_id" TEXT,
ADD COLUMN "withdrawn_at" TIMESTAMPTZ(3);
