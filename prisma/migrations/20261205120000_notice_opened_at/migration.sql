-- The first opening of an electronically served document by the subject it was served on, as a delivery record
-- would say it (issue 22, "My notices"); set once, with an audit entry `notice.opened` in the same transaction.
ALTER TABLE "documents" ADD COLUMN "opened_at" TIMESTAMPTZ(3);
