-- Sessions of the web console (signed-in officers, supervisors and subjects).
CREATE TABLE "console_sessions" (
    "id_hash" TEXT NOT NULL,
    "claims" JSONB NOT NULL,
    "via" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),

    CONSTRAINT "console_sessions_pkey" PRIMARY KEY ("id_hash")
);

CREATE INDEX "console_sessions_expires_at_idx" ON "console_sessions"("expires_at");
