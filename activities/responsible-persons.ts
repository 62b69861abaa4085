import { z } from 'zod';
import type { SqlTx } from '../db/client';
import { appendRecordEvent, responsiblePersonRecordId, RESPONSIBLE_PERSON_ENTRY_TYPE } from '../db/record-events';
import { CREDIT_AGENCY_CODE } from '../domain/reference-data';
import {
  REGULATION,
  RESPONSIBLE_ROLE_LABELS,
  renderResponsiblePersonNotice,
  type ListingCategory,
  type ResponsibleRole,
} from '../domain/documents';
import type { CaseEffect } from '../workflows/common/case-types';
import type { EffectChange } from './case-effects';
import { enqueueRecordChange } from '../exchange/sources';

type Publish = Extract<CaseEffect, { type: 'publish_listing' }>;
type Person = Publish['responsiblePersons'][number];

/** The `subject_entries` row of a person's entry (kept for the API's `responsiblePersonEntries`). */
function entryId(caseId: string, p: Person): string {
  return `${caseId}:${p.idNumber}:${p.role}`;
}

/**
 * The terms of the recognition document the entries rest on, as it printed them: the person's notice repeats
 * the decision's own measures, remedies and repair period rather than the policy as it stands today.
 */
const decisionTerms = z.object({
  department: z.object({ name: z.string() }),
  measures: z.object({
    items: z.array(z.object({ code: z.string(), title: z.string(), level: z.enum(['general', 'serious']), basis: z.string() })).min(1),
  }),
  removal: z.object({
    repair: z.object({ earliestAfter: z.object({ years: z.number().optional(), months: z.number().optional() }) }),
  }),
  remedies: z.object({
    reconsideration: z.object({ days: z.number(), body: z.string() }),
    litigation: z.object({ months: z.number(), court: z.string() }),
  }),
});

/**
 * Art 48: each responsible person of a listed organisation gets an entry that is a credit record of their own
 * (DOMAIN.md procedure 1 step 8), so the rights of Arts 49-52 (query, report, objection, repair) reach it like any
 * record; and, when the decision was served here (not imported), a notice of it served electronically on the person.
 * In the publication's transaction; every write is keyed, so a retried effect writes each once.
 */
export async function publishResponsiblePersonEntries(tx: SqlTx, e: Publish, change: EffectChange): Promise<void> {
  const { at, by, key } = change;
  // One entry per person and role, however often the case named them.
  const persons = [...new Map(e.responsiblePersons.map((p) => [entryId(e.caseId, p), p])).values()];
  if (persons.length === 0) return;
  const [dept] = await tx.$queryRaw<{ name: string }[]>`SELECT name FROM departments WHERE code = ${e.department}`;
  const departmentName = dept?.name ?? e.department;
  const terms = e.decisionDocumentId ? await termsOf(tx, e.decisionDocumentId) : null;
  const [agency] = terms
    ? await tx.$queryRaw<{ code: string; name: string }[]>`SELECT code, name FROM departments WHERE code = ${CREDIT_AGENCY_CODE}`
    : [];

  for (const [i, p] of persons.entries()) {
    await tx.$executeRaw`
      INSERT INTO subject_entries (id, subject_id, case_id, role, name, organisation_id, organisation_name, listed_from, listed_until, status)
      VALUES (${entryId(e.caseId, p)}, ${p.idNumber}, ${e.caseId}, ${p.role}, ${p.name}, ${e.subject.id},
              ${e.subject.name}, ${e.listedFrom}, ${e.listedUntil}, 'active')
      ON CONFLICT (id) DO NOTHING`;
    const recordId = responsiblePersonRecordId(e.caseId, p.idNumber, p.role, e.listedFrom);
    // The effect carries the role as a string; one without a label prints as itself.
    const labels: Partial<Record<string, string>> = RESPONSIBLE_ROLE_LABELS;
    const roleLabel = labels[p.role] ?? p.role;
    const content =
      `作为${e.subject.name}（${e.subject.id}）的${roleLabel}，依据${REGULATION}第四十八条记入：该单位经${departmentName}认定列入严重失信主体名单` +
      `（认定文书${e.decisionNumber}，案件${e.caseId}），列入期限${e.listedFrom}至${e.listedUntil}。`;
    // Resting on the recognition document: its number, served on the listing date, the recognising department's.
    await tx.$executeRaw`
      INSERT INTO credit_records (id, subject_kind, subject_id, subject_name, category, type, content, document_number, decided_on,
                                  severity, department, created_by, status, public_until, public_min_until, publicity, listing_case_id,
                                  created_at, updated_at)
      VALUES (${recordId}, 'natural_person', ${p.idNumber}, ${p.name}, 'dishonesty', ${RESPONSIBLE_PERSON_ENTRY_TYPE}, ${content},
              ${e.decisionNumber}, ${e.listedFrom}, 'serious', ${e.department}, ${by.actor}, 'active', ${e.listedUntil}, NULL,
              ${JSON.stringify({ basis: '列入期限', explanation: [`随${e.subject.name}的严重失信主体名单公示，至列入期限届满（${e.listedUntil}）或提前移出时停止。`] })}::jsonb,
              ${e.caseId}, ${at}, ${at})
      ON CONFLICT (id) DO NOTHING`;
    await appendRecordEvent(tx, {
      recordId,
      at,
      ...by,
      action: 'supplied',
      detail: {
        caseId: e.caseId,
        decisionNumber: e.decisionNumber,
        organisation: { id: e.subject.id, name: e.subject.name },
        role: p.role,
        source: 'listing',
      },
      eventKey: `${key}:person:${recordId}`,
    });
    await enqueueRecordChange(tx, { recordId, change: 'supplied', at, caseId: e.caseId });
    if (!terms || !e.decisionDocumentId) continue;
    const doc = renderResponsiblePersonNotice({
      documentId: `${e.decisionDocumentId}-P${i + 1}`,
      caseId: e.caseId,
      issuedAt: at.toISOString(),
      department: { code: e.department, name: terms.department.name },
      subject: { kind: 'natural_person', id: p.idNumber, name: p.name },
      organisation: e.subject,
      role: p.role as ResponsibleRole,
      listing: {
        caseId: e.caseId,
        decisionNumber: e.decisionNumber,
        category: e.category as ListingCategory,
        listedFrom: e.listedFrom,
        listedUntil: e.listedUntil,
      },
      record: { id: recordId, content },
      measures: terms.measures.items,
      agency: { code: CREDIT_AGENCY_CODE, name: agency?.name ?? CREDIT_AGENCY_CODE },
      repair: { earliestAfter: terms.removal.repair.earliestAfter },
      remedies: {
        reconsiderationDays: terms.remedies.reconsideration.days,
        reconsiderationBody: terms.remedies.reconsideration.body,
        litigationMonths: terms.remedies.litigation.months,
        court: terms.remedies.litigation.court,
      },
    });
    // Served electronically when written, so it is in the person's GET /v1/me/notices with the decision's service.
    await tx.$executeRaw`
      INSERT INTO documents (id, case_id, kind, title, issued_at, fields, html, sha256, served_to, served_method, served_at)
      VALUES (${doc.id}, ${e.caseId}, ${doc.kind}, ${doc.title}, ${at}, ${JSON.stringify(doc.fields)}::jsonb, ${doc.html}, ${doc.sha256},
              ${p.idNumber}, 'electronic', ${at})
      ON CONFLICT (id) DO NOTHING`;
  }
}

/**
 * A recognition document without these terms is a defect to fix, not a reason to leave a person unserved: the
 * parse error fails the projection, which is retried (and visible) until it is fixed.
 */
async function termsOf(tx: SqlTx, documentId: string): Promise<z.infer<typeof decisionTerms>> {
  const [doc] = await tx.$queryRaw<{ fields: unknown }[]>`SELECT fields FROM documents WHERE id = ${documentId}`;
  if (!doc) throw new Error(`recognition document ${documentId} is missing`);
  return decisionTerms.parse(doc.fields);
}

/**
 * A person's entry whose record ends on its own (deleted or corrected away by an objection, repaired) leaves the
 * `subject_entries` list with it; the organisation's listing is untouched.
 */
export async function endResponsiblePersonEntry(tx: SqlTx, recordId: string, at: Date): Promise<void> {
  const [r] = await tx.$queryRaw<{ type: string; subject_id: string; listing_case_id: string | null; decided_on: string }[]>`
    SELECT type, subject_id, listing_case_id, decided_on FROM credit_records WHERE id = ${recordId}`;
  if (!r || r.type !== RESPONSIBLE_PERSON_ENTRY_TYPE || !r.listing_case_id) return;
  const entries = await tx.$queryRaw<{ id: string; role: string }[]>`
    SELECT id, role FROM subject_entries WHERE case_id = ${r.listing_case_id} AND subject_id = ${r.subject_id} AND status = 'active'`;
  for (const entry of entries) {
    if (responsiblePersonRecordId(r.listing_case_id, r.subject_id, entry.role, r.decided_on) !== recordId) continue;
    await tx.$executeRaw`UPDATE subject_entries SET status = 'removed', removed_at = ${at} WHERE id = ${entry.id} AND status = 'active'`;
  }
}
