-- An escalation need not concern one case: a year whose holiday notice is not loaded warns supervisors.
-- AlterTable
ALTER TABLE "escalations" ALTER COLUMN "deadline_id" DROP NOT NULL,
ALTER COLUMN "case_id" DROP NOT NULL;
