-- Sign-in as cities run it (issue 22): the display name the identity provider gives each caller, recorded beside the
-- stable id in audit entries, and the ID token of a console session for signing out at the provider too.
CREATE TABLE "actor_names" (
    "sub" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "actor_names_pkey" PRIMARY KEY ("sub")
);

ALTER TABLE "audit_entries" ADD COLUMN "actor_name" TEXT;

ALTER TABLE "console_sessions" ADD COLUMN "id_token" TEXT;
