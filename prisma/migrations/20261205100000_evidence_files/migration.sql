-- Evidence as files (issue 22): each content stored once under its SHA-256, and each upload of it with its name,
-- its uploader and the filing it became evidence of.

-- CreateTable
CREATE TABLE "stored_files" (
    "sha256" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "size" INTEGER NOT NULL,
    "content_type" TEXT NOT NULL,
    "stored_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "stored_files_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "file_uploads" (
    "id" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL,
    "uploader" TEXT NOT NULL,
    "uploader_role" TEXT NOT NULL,
    "subject_id" TEXT,
    "case_id" TEXT,
    "filing" TEXT,
    "attached_at" TIMESTAMPTZ(3),
    "position" INTEGER,

    CONSTRAINT "file_uploads_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "file_uploads_case_id_idx" ON "file_uploads"("case_id");

-- CreateIndex
CREATE INDEX "file_uploads_uploader_uploaded_at_idx" ON "file_uploads"("uploader", "uploaded_at");

-- AddForeignKey
ALTER TABLE "file_uploads" ADD CONSTRAINT "file_uploads_sha256_fkey" FOREIGN KEY ("sha256") REFERENCES "stored_files"("sha256") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written below this line: what Prisma's schema language cannot express.

-- Evidence is not tampered with: a stored content is written once; the hash is its name.
CREATE FUNCTION stored_files_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'stored_files are written once: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER stored_files_no_update_delete
  BEFORE UPDATE OR DELETE ON "stored_files"
  FOR EACH ROW EXECUTE FUNCTION stored_files_refuse_change();

CREATE TRIGGER stored_files_no_truncate
  BEFORE TRUNCATE ON "stored_files"
  FOR EACH STATEMENT EXECUTE FUNCTION stored_files_refuse_change();

-- An upload is never removed and what it says of the file and its uploader never changes; only its filing is set
-- (and given back when that filing was refused).
CREATE FUNCTION file_uploads_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.id = OLD.id AND NEW.sha256 = OLD.sha256 AND NEW.name = OLD.name AND NEW.uploaded_at = OLD.uploaded_at
     AND NEW.uploader = OLD.uploader AND NEW.uploader_role = OLD.uploader_role
     AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'file_uploads: % of what an upload is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER file_uploads_no_change
  BEFORE UPDATE OR DELETE ON "file_uploads"
  FOR EACH ROW EXECUTE FUNCTION file_uploads_refuse_change();

CREATE TRIGGER file_uploads_no_truncate
  BEFORE TRUNCATE ON "file_uploads"
  FOR EACH STATEMENT EXECUTE FUNCTION file_uploads_refuse_change();
