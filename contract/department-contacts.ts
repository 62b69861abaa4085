/** A department's contact for the reminders' daily digest, as the API gives it and the console shows it. */
import { z } from 'zod';

export const lastDigestView = z.object({
  at: z.string().describe('when the digest was handed to the mail server (or tried)'),
  to: z.string().describe('the address it went to'),
  title: z.string(),
  status: z.enum(['sending', 'sent', 'failed']).describe('sending: no answer yet; sent: the server took it; failed: refused'),
  answer: z.string().nullable().describe("the mail server's answer"),
});

export const departmentContactView = z.object({
  code: z.string(),
  name: z.string(),
  email: z.string().nullable().describe('where the daily digest goes; null: no digest'),
  lastDigest: lastDigestView.nullable(),
});

/**
 * The address is checked by the handler, not the schema: a string that is no e-mail address is a 422 naming the field
 * (a domain rule), so a generator's RFC 5322 address with characters mail servers refuse is not a 400.
 */
export const departmentContactBody = z.object({
  email: z
    .string()
    .max(254)
    .nullable()
    .describe('the address of the daily digest (an e-mail address: 422 if it is not one); null stops it'),
});

/** What the digest can be sent to: the address form the console and the API accept. */
export const digestAddress = z.email();

export type DepartmentContactView = z.infer<typeof departmentContactView>;
