import { z } from 'zod';
import { recordCategories, severities } from '../../domain/records';
import { isoDate } from './common';
import { subjectInput, subjectKindSchema } from './case';

const text = (max: number) => z.string().regex(/\S/, 'must not be blank').trim().min(1).max(max);

/** API.md "POST /v1/records": information a department supplies, with the legal document it rests on (Art 34). */
export const recordCreateBody = z.object({
  subject: subjectInput,
  category: z.enum(recordCategories),
  type: text(100),
  content: text(20_000),
  documentNumber: text(100),
  decidedOn: isoDate,
  severity: z.enum(severities).optional(),
});
export type RecordCreateBody = z.infer<typeof recordCreateBody>;

export const recordView = z.object({
  id: z.string(),
  subject: z.object({ kind: subjectKindSchema, id: z.string(), name: z.string() }),
  category: z.enum(recordCategories),
  type: z.string(),
  content: z.string(),
  documentNumber: z.string(),
  decidedOn: z.string(),
  severity: z.enum(severities).nullable(),
  department: z.string(),
  disclosure: z.enum(['published', 'under_objection', 'publicity_ended', 'deleted']),
  publicUntil: z.string().nullable(),
  publicMinUntil: z.string().nullable(),
  publicity: z.object({ basis: z.string().nullable(), explanation: z.array(z.string()) }),
  listingCaseId: z.string().nullable(),
  objection: z.object({ caseId: z.string(), since: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RecordView = z.infer<typeof recordView>;

export const recordEventView = z.object({
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  department: z.string().nullable(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
