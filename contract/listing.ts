/**
 * The body that opens a listing case (API.md "POST /v1/cases"): the API validates requests with it, and the console
 * checks its form with it before the check step, so the two never disagree on what a well-formed case is.
 */
import { z } from 'zod';
import { LISTING_CATEGORIES, RESPONSIBLE_ROLES } from '../workflows/listing/definitions';
import { isoDate } from '../workflows/common/schema-parts';

export const subjectKindSchema = z.enum(['natural_person', 'legal_person', 'other_org']);

export const subjectInput = z.object({
  kind: subjectKindSchema,
  id: z.string().regex(/\S/, 'must not be blank').trim().toUpperCase().min(1).max(32),
  name: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(200),
});

export const listingCreateBody = z.object({
  procedure: z.literal('listing'),
  subject: subjectInput,
  category: z.enum(LISTING_CATEGORIES),
  facts: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(20_000),
  basisDocuments: z
    .array(
      z.object({
        title: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(300),
        number: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(100),
        issuedOn: isoDate,
      }),
    )
    .min(1, 'a record needs at least one document with legal effect (Art 34)')
    .max(50),
  proposedMeasures: z.array(z.string().regex(/\S/, 'must not be blank').trim().min(1).max(20)).min(1).max(50),
  responsiblePersons: z
    .array(
      z.object({
        role: z.enum(RESPONSIBLE_ROLES),
        name: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(100),
        idNumber: z.string().regex(/\S/, 'must not be blank').trim().toUpperCase().min(1).max(32),
      }),
    )
    .max(50)
    .optional(),
  // Longer than zero, said in the schema itself (a year or a month at least) so the OpenAPI document tells clients.
  listingPeriod: z
    .union([
      z.object({ years: z.number().int().min(1).max(10), months: z.number().int().min(0).max(120).optional() }),
      z.object({ years: z.number().int().min(0).max(10).optional(), months: z.number().int().min(1).max(120) }),
    ])
    .optional(),
});
export type ListingCreateBody = z.infer<typeof listingCreateBody>;

/**
 * A listing decided before the system went live (API.md "migrated, not re-decided"): the body of
 * `POST /v1/imports/listings`, which the console checks its import rows with too.
 */
export const listingImportBody = listingCreateBody.omit({ procedure: true, proposedMeasures: true }).extend({
  measures: z.array(z.string().regex(/\S/, 'must not be blank').trim().min(1).max(20)).min(1).max(50),
  decisionDocument: z.object({
    number: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(100),
    issuedOn: isoDate,
  }),
  decisionServedAt: z.iso.datetime({ offset: true, error: 'must be an RFC 3339 instant with offset' }),
  /** The recognising department; defaults to the importing supervisor's. */
  department: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(40).optional(),
});
export type ListingImportBody = z.infer<typeof listingImportBody>;
