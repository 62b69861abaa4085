import type { Db, Tx } from '../db/client';
import { appendAudit } from '../db/audit';
import { CREDIT_AGENCY_CODE, departmentByCode, type ListingCategory } from '../domain/reference-data';
import { disclosureOf, type RecordCategory, type Severity } from '../domain/records';
import { residentIdProblem, type SubjectKind } from '../domain/identity';
import {
  CREDIT_REPORT_TITLE,
  renderCreditReport,
  type CreditReportListing,
  type CreditReportRecord,
  type DocumentDepartment,
  type DocumentSubject,
} from '../domain/documents';
import { Prisma, type CreditReport } from '../generated/prisma/client';
import { conflict, type Problem } from './problem';
import { shanghaiDate } from './case-ids';
import { recordTypeTitle } from '../domain/record-type-titles';

/**
 * Credit reports (Art 50): what is disclosed about a subject on the day, issued by the credit agency as a
 * stored document with its SHA-256. The first `quota` reports of a calendar year (Asia/Shanghai) are free;
 * there is no paid report, so a request beyond the quota is refused.
 *
 * The quota holds under any concurrency: one transaction takes an advisory lock on (subject, year), counts
 * the year's reports and inserts the next with its sequence number; the unique key (subject, year, sequence)
 * is a second guard. The report, its audit entry and a `disclosed` entry in each record's history commit
 * together.
 */

/** Advisory lock class for "one subject's reports of one year" (two-key form, so it never meets the single-key locks). */
const REPORT_LOCK_CLASS = 0x5250_5430; // "RPT0"

export type CreditReportRow = CreditReport;

/** The quota of a calendar year is renewed on the first day of the next one (Asia/Shanghai). */
export function quotaResetsOn(year: number): string {
  return `${year + 1}-01-01`;
}

export function quotaUsed(quota: number, used: number, year: number): Problem {
  const resetsOn = quotaResetsOn(year);
  return conflict(
    {
      zh: `${year}年的${quota}份免费信用报告已用完（已出具${used}份）；额度于 ${resetsOn}（北京时间）重置`,
      en: `the quota of ${quota} free credit reports for ${year} is used (${used} issued); it resets on ${resetsOn} (Asia/Shanghai)`,
    },
    { quota, used, resetsOn },
  );
}

/** API.md "POST /v1/subjects/{subjectId}/reports" (201) and "GET …/reports/{reportId}". */
export function reportRowToView(row: CreditReportRow) {
  const fields = row.fields as Record<string, unknown>;
  const of = (fields.quota as { of?: number } | undefined)?.of ?? row.sequence;
  return {
    id: row.id,
    subjectId: row.subjectId,
    year: row.year,
    sequence: row.sequence,
    free: row.free,
    quota: { used: row.sequence, of, resetsOn: quotaResetsOn(row.year) },
    asOf: row.asOf,
    generatedAt: row.generatedAt.toISOString(),
    sha256: row.sha256,
    document: { kind: 'credit_report' as const, title: CREDIT_REPORT_TITLE, fields, html: row.html },
  };
}

interface ReportContent {
  subject: DocumentSubject;
  agency: DocumentDepartment;
  records: CreditReportRecord[];
  listings: CreditReportListing[];
}

/**
 * What is disclosed about `subjectId` on `asOf`: records `published` or `under_objection` (marked), and the
 * listings in force that day with their measures; department names from the reference data.
 */
export async function disclosedContent(tx: Tx, subjectId: string, asOf: string): Promise<ReportContent> {
  const [rows, listingRows, latestCase] = await Promise.all([
    tx.creditRecord.findMany({ where: { subjectId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    tx.publicListing.findMany({
      where: { subjectId, status: 'listed', listedFrom: { lte: asOf }, listedUntil: { gte: asOf } },
      orderBy: [{ listedFrom: 'desc' }, { caseId: 'asc' }],
    }),
    tx.case.findFirst({
      where: { subjectId },
      orderBy: { createdAt: 'desc' },
      select: { subjectKind: true, subjectName: true },
    }),
  ]);
  const disclosed = rows.filter((r) => {
    const d = disclosureOf(r, asOf);
    return (d === 'published' || d === 'under_objection') && r.decidedOn.slice(0, 10) <= asOf;
  });

  const codes = [...new Set([CREDIT_AGENCY_CODE, ...disclosed.map((r) => r.department), ...listingRows.map((l) => l.department)])];
  const known = await tx.department.findMany({ where: { code: { in: codes } } });
  const department = (code: string): DocumentDepartment => ({
    code,
    name: known.find((d) => d.code === code)?.name ?? departmentByCode(code)?.name ?? code,
  });

  // The name and kind the authorities hold: the newest record, listing or case about the subject.
  const named = rows[0] ?? listingRows[0] ?? latestCase;
  const subject: DocumentSubject = named
    ? { kind: named.subjectKind as SubjectKind, id: subjectId, name: named.subjectName }
    : {
        kind: residentIdProblem(subjectId) === null ? 'natural_person' : 'legal_person',
        id: subjectId,
        name: '（未登记名称）',
      };

  return {
    subject,
    agency: department(CREDIT_AGENCY_CODE),
    records: disclosed.map((r) => ({
      id: r.id,
      category: r.category as RecordCategory,
      type: recordTypeTitle(r.type),
      content: r.content,
      documentNumber: r.documentNumber,
      decidedOn: r.decidedOn,
      supplyingDepartment: department(r.department),
      ...(r.category === 'dishonesty' && r.severity ? { severity: r.severity as Severity } : {}),
      ...(r.publicUntil ? { publicUntil: r.publicUntil } : {}),
      underObjection: disclosureOf(r, asOf) === 'under_objection',
    })),
    listings: listingRows.map((l) => ({
      caseId: l.caseId,
      decisionNumber: l.decisionNumber,
      category: l.category as ListingCategory,
      department: department(l.department),
      listedFrom: l.listedFrom,
      listedUntil: l.listedUntil,
      measures: ((l.measures ?? []) as { code: string; title: string }[]).map((m) => ({
        code: m.code,
        title: m.title,
      })),
    })),
  };
}

export interface IssueReport {
  id: string;
  subjectId: string;
  /** The subject's own user id (`sub`). */
  requestedBy: string;
  /** Free reports per calendar year (policy `free_reports_per_year`). */
  quota: number;
  now: Date;
}

/**
 * Issues report `id`, or returns it when it was already issued (a retry with the same Idempotency-Key after
 * a first attempt that committed); refuses with 409 once the year's quota is used.
 */
export async function issueCreditReport(db: Db, r: IssueReport): Promise<CreditReportRow> {
  const asOf = shanghaiDate(r.now);
  const year = Number(asOf.slice(0, 4));
  for (let attempt = 1; ; attempt++) {
    try {
      return await issueOnce(db, r, asOf, year);
    } catch (err) {
      // The second guard: a sequence taken twice (which the lock prevents) fails the insert; count again.
      if (attempt < 5 && err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') continue;
      throw err;
    }
  }
}

function issueOnce(db: Db, r: IssueReport, asOf: string, year: number): Promise<CreditReportRow> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${REPORT_LOCK_CLASS}::int, hashtext(${`${r.subjectId}:${year}`}))`;
      const existing = await tx.creditReport.findUnique({ where: { id: r.id } });
      if (existing) return existing;
      const used = await tx.creditReport.count({ where: { subjectId: r.subjectId, year } });
      if (used >= r.quota) throw quotaUsed(r.quota, used, year);
      const sequence = used + 1;

      const content = await disclosedContent(tx, r.subjectId, asOf);
      const generatedAt = new Date(Math.floor(r.now.getTime())).toISOString();
      const doc = renderCreditReport({
        documentId: r.id,
        caseId: '',
        issuedAt: generatedAt,
        department: content.agency,
        subject: content.subject,
        reportNumber: r.id,
        asOf,
        generatedAt,
        freeOfCharge: true,
        quota: { used: sequence, of: r.quota, year },
        records: content.records,
        listings: content.listings,
      });
      const recordIds = content.records.map((x) => x.id);
      const row = await tx.creditReport.create({
        data: {
          id: r.id,
          subjectId: r.subjectId,
          year,
          sequence,
          free: true,
          asOf,
          generatedAt: new Date(generatedAt),
          requestedBy: r.requestedBy,
          fields: doc.fields as Prisma.InputJsonValue,
          html: doc.html,
          sha256: doc.sha256,
          recordIds,
        },
      });
      // Each record's own history shows that the credit agency disclosed it, in which report.
      if (recordIds.length) {
        await tx.$executeRaw`
          INSERT INTO record_events (record_id, at, actor, role, department, action, detail, event_key)
          SELECT rid, ${row.generatedAt}, ${r.requestedBy}, 'subject', ${CREDIT_AGENCY_CODE}, 'disclosed',
                 jsonb_build_object('reportId', ${r.id}::text), 'report:' || ${r.id}::text || '#disclosed:' || rid
          FROM unnest(${recordIds}::text[]) AS rid
          ON CONFLICT (event_key) DO NOTHING`;
      }
      await appendAudit(tx, {
        at: row.generatedAt,
        actor: r.requestedBy,
        role: 'subject',
        action: 'report.create',
        target: `report:${r.id}`,
        subjectId: r.subjectId,
        detail: {
          year,
          sequence,
          records: recordIds,
          listings: content.listings.map((l) => l.caseId),
          sha256: doc.sha256,
        },
        eventKey: `report:${r.id}#create`,
      });
      return row;
    },
    // Requests for one subject queue on the lock; give them room beyond Prisma's 2 s / 5 s defaults.
    { maxWait: 15_000, timeout: 30_000 },
  );
}
