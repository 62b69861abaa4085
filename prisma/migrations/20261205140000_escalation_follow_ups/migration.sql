-- Supervisors acknowledge an escalation (未确认 → 已确认) and record what they did about it (已督办): who, when, what.
ALTER TABLE "escalations" ADD COLUMN "acknowledged_at" TIMESTAMPTZ(3),
ADD COLUMN "acknowledged_by" TEXT,
ADD COLUMN "followed_up_at" TIMESTAMPTZ(3);

CREATE TABLE "escalation_follow_ups" (
    "id" TEXT NOT NULL,
    "escalation_id" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT NOT NULL,

    CONSTRAINT "escalation_follow_ups_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "escalation_follow_ups_escalation_id_at_idx" ON "escalation_follow_ups"("escalation_id", "at");
