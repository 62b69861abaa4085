import type { Db } from './client';

/** The mail catcher's domain: every department of the embedded default gets an address there. */
export const CATCHER_DOMAIN = 'departments.credit.localhost';

/**
 * The embedded default's department addresses (`zy-samr@departments.credit.localhost`), so a newcomer sees the
 * digests in the mail catcher. Only on a fresh database (no department has one): an address a supervisor set or
 * cleared is never overwritten.
 */
export async function seedDepartmentContacts(db: Db): Promise<number> {
  return db.$executeRaw`
    UPDATE departments SET contact_email = lower(code) || '@' || ${CATCHER_DOMAIN}
     WHERE contact_email IS NULL AND NOT EXISTS (SELECT 1 FROM departments WHERE contact_email IS NOT NULL)`;
}
