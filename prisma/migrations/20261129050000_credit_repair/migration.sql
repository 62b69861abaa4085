-- CreateTable
CREATE TABLE "case_claims" (
    "target" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "procedure" TEXT NOT NULL,
    "claimed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "case_claims_pkey" PRIMARY KEY ("target")
);

-- CreateTable
CREATE TABLE "platform_notifications" (
    "id" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "case_id" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "platform_notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "case_claims_case_id_idx" ON "case_claims"("case_id");

-- CreateIndex
CREATE INDEX "platform_notifications_delivered_at_created_at_idx" ON "platform_notifications"("delivered_at", "created_at");
