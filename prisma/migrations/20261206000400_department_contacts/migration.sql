-- Issue 24 (reminders): where a department's daily digest of deadlines and breaches goes, set by supervisors
-- (PUT /v1/departments/{code}/contact, audited); null: the department gets no digest until one is set.
ALTER TABLE "departments" ADD COLUMN "contact_email" TEXT;
