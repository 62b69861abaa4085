/**
 * Who a caller is, as the API's bearer tokens and the console's sessions both carry it: the API checks tokens against
 * it, the console keeps it in its session rows, and neither may drift from the other.
 *
 * `name` is the display name the identity provider gives (a clerk's name where `sub` is often a UUID): shown in the
 * console's header and recorded beside `sub` in the audit. Optional, so tokens without it stay valid.
 */
import { z } from 'zod';

const name = z.string().trim().min(1).max(200).optional();

export const claimsSchema = z.discriminatedUnion('role', [
  z.object({ sub: z.string().min(1), role: z.literal('officer'), dept: z.string().min(1), name }),
  z.object({ sub: z.string().min(1), role: z.literal('supervisor'), dept: z.string().min(1), name }),
  z.object({ sub: z.string().min(1), role: z.literal('subject'), subjectId: z.string().min(1), name }),
]);

export type Principal = z.infer<typeof claimsSchema>;

/**
 * Which claims of an identity provider's tokens say who the caller is here; the console's sign-in and the API's
 * provider tokens read the same ones (OIDC_ROLE_CLAIM, OIDC_DEPT_CLAIM, OIDC_SUBJECT_CLAIM, OIDC_NAME_CLAIM).
 */
export interface ClaimNames {
  role: string;
  dept: string;
  subjectId: string;
  /** The display name: the first of these the provider gives. */
  name: string[];
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = {
  role: 'role',
  dept: 'dept',
  subjectId: 'subject_id',
  name: ['name', 'preferred_username'],
};

/** Who a provider's claims say the caller is in this system, or null when they give no role here. */
export function principalFromClaims(claims: Record<string, unknown>, names: ClaimNames): Principal | null {
  const given = names.name.map((n) => claims[n]).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const parsed = claimsSchema.safeParse({
    sub: claims.sub,
    role: claims[names.role],
    dept: claims[names.dept],
    subjectId: claims[names.subjectId],
    ...(given ? { name: given.trim().slice(0, 200) } : {}),
  });
  return parsed.success ? parsed.data : null;
}
