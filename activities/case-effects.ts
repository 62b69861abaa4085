import { Prisma } from '../generated/prisma/client';
import type { SqlTx } from '../db/client';
import { appendRecordEvent, LISTING_RECORD_TYPE, listingRecordId } from '../db/record-events';
import type { CaseEffect, TimelineItem } from '../workflows/common/case-types';
import { endResponsiblePersonEntry, publishResponsiblePersonEntries } from './responsible-persons';
import { enqueueListingChange, enqueueRecordChange } from '../exchange/sources';

type By = Pick<TimelineItem, 'actor' | 'role'> & { department: string };

/** The case change an effect belongs to: when, by whom, and the key every write of it is made under. */
export interface EffectChange {
  at: Date;
  by: By;
  key: string;
}

/** What each objection outcome does to the record, and the history entry it leaves. */
const SETTLEMENT: Record<string, { action: string; status?: 'deleted' | 'publicity_ended'; content?: true }> = {
  delete: { action: 'deleted', status: 'deleted' },
  correct: { action: 'corrected', content: true },
  supplement: { action: 'supplemented', content: true },
  stop_disclosure: { action: 'disclosure_stopped', status: 'publicity_ended' },
  // The listing's own removal ends the record (below, `unpublish_listing`); here only the mark is lifted.
  remove_from_list: { action: 'removed_from_list' },
  keep: { action: 'kept' },
  declined: { action: 'objection_declined' },
  withdrawn: { action: 'objection_withdrawn' },
};

/**
 * What a case change does outside the case row, in the case change's transaction, each kind of effect in one
 * place: a listing is published (the public list, the Art 48 entries, its own credit record) and ends with all
 * three; an objection's outcome changes the record and lifts its mark; a repair ends a record's publicity, tells
 * the platform and releases its claim. Every write is keyed by the case change, so a retry changes nothing twice.
 */
export async function applyCaseEffect(tx: SqlTx, e: CaseEffect, change: EffectChange): Promise<void> {
  const { at, by, key } = change;
  switch (e.type) {
    case 'publish_listing': {
      // The published list and the responsible persons' own entries and records (Art 44 (6), Art 48), then the listing's record.
      const measures = await tx.$queryRaw<{ code: string; title: string; level: string }[]>`
        SELECT code, title, level::text AS level FROM measures WHERE code = ANY(${e.measureCodes}::text[])`;
      const ordered = e.measureCodes.map((c) => measures.find((m) => m.code === c) ?? { code: c, title: c, level: 'serious' });
      await tx.$executeRaw`
        INSERT INTO public_listings (case_id, subject_kind, subject_id, subject_name, department, category, measures,
                                     decision_number, listed_from, listed_until, status, updated_at)
        VALUES (${e.caseId}, ${e.subject.kind}, ${e.subject.id}, ${e.subject.name}, ${e.department}, ${e.category},
                ${JSON.stringify(ordered)}::jsonb, ${e.decisionNumber}, ${e.listedFrom}, ${e.listedUntil}, 'listed', ${at})
        ON CONFLICT (case_id) DO NOTHING`;
      await enqueueListingChange(tx, { caseId: e.caseId, at });
      await publishResponsiblePersonEntries(tx, e, change);
      const id = listingRecordId(e.caseId);
      const content = `列入严重失信主体名单（${e.category}），认定文书${e.decisionNumber}，列入期限${e.listedFrom}至${e.listedUntil}。`;
      await tx.$executeRaw`
        INSERT INTO credit_records (id, subject_kind, subject_id, subject_name, category, type, content, document_number, decided_on,
                                    severity, department, created_by, status, public_until, public_min_until, publicity, listing_case_id,
                                    created_at, updated_at)
        VALUES (${id}, ${e.subject.kind}, ${e.subject.id}, ${e.subject.name}, 'dishonesty', ${LISTING_RECORD_TYPE}, ${content},
                ${e.decisionNumber}, ${e.listedFrom}, 'serious', ${e.department}, ${by.actor}, 'active', ${e.listedUntil}, NULL,
                ${JSON.stringify({ basis: '列入期限', explanation: [`随严重失信主体名单公示，至列入期限届满（${e.listedUntil}）或提前移出时停止。`] })}::jsonb,
                ${e.caseId}, ${at}, ${at})
        ON CONFLICT (id) DO NOTHING`;
      await appendRecordEvent(tx, {
        recordId: id,
        at,
        ...by,
        action: 'supplied',
        detail: { caseId: e.caseId, decisionNumber: e.decisionNumber },
        eventKey: `${key}:record`,
      });
      return;
    }
    case 'unpublish_listing': {
      // The public list and the Art 48 entries end, then every record the listing supplied: its own and the persons'.
      const unlisted = await tx.$executeRaw`
        UPDATE public_listings SET status = 'removed', removed_at = ${new Date(e.removedAt)}, removal_outcome = ${e.outcome}, updated_at = ${at}
        WHERE case_id = ${e.caseId} AND status = 'listed'`;
      if (unlisted > 0) await enqueueListingChange(tx, { caseId: e.caseId, at, outcome: e.outcome });
      await tx.$executeRaw`
        UPDATE subject_entries SET status = 'removed', removed_at = ${new Date(e.removedAt)} WHERE case_id = ${e.caseId} AND status = 'active'`;
      const status = e.outcome === 'revoked' ? 'deleted' : 'publicity_ended';
      const rows = await tx.$queryRaw<{ id: string }[]>`
        UPDATE credit_records SET status = ${status}, ended_at = ${new Date(e.removedAt)}, end_reason = ${`listing ${e.outcome}`}, updated_at = ${at}
        WHERE listing_case_id = ${e.caseId} AND status = 'active' RETURNING id`;
      for (const r of rows) {
        await appendRecordEvent(tx, {
          recordId: r.id,
          at,
          ...by,
          action: status === 'deleted' ? 'deleted' : 'publicity_ended',
          detail: { caseId: e.caseId, listingOutcome: e.outcome },
          eventKey: `${key}:record:${r.id}`,
        });
        // The listing's own record is told by the listing's entry above; a person's record ends their entry.
        await enqueueRecordChange(tx, { recordId: r.id, change: status, at, caseId: e.caseId, reason: `listing ${e.outcome}` });
      }
      return;
    }
    case 'settle_objection': {
      const rule = SETTLEMENT[e.outcome];
      if (!rule) throw new Error(`unknown objection outcome ${e.outcome}`);
      const [before] = await tx.$queryRaw<{ content: string; status: string }[]>`
        SELECT content, status FROM credit_records WHERE id = ${e.recordId} FOR UPDATE`;
      if (!before) throw new Error(`record ${e.recordId} is missing`);
      const fresh = await appendRecordEvent(tx, {
        recordId: e.recordId,
        at,
        ...by,
        department: e.decidedBy,
        action: rule.action,
        detail: {
          caseId: e.caseId,
          outcome: e.outcome,
          reasons: e.reasons,
          decidedBy: e.decidedBy,
          ...(rule.content ? { before: before.content, after: e.correctedContent, review: 'pending' } : {}),
          markLifted: true,
        },
        eventKey: `${key}:record`,
      });
      if (!fresh) return;
      if (rule.content) {
        // Art 36: the corrected content is information the deciding department supplies; a disclosed record waits,
        // out of disclosure, for a second officer of that department to release it (POST /v1/records/{id}/release).
        await tx.$executeRaw`
          UPDATE credit_records SET content = ${e.correctedContent ?? before.content},
                 status = CASE WHEN status = 'active' THEN 'pending_review' ELSE status END,
                 revision_by = ${by.actor}, revision_department = ${e.decidedBy}, reviewed_by = NULL, reviewed_at = NULL, updated_at = ${at}
          WHERE id = ${e.recordId}`;
      }
      // The platforms hear the mark lifted before what the decision did to the record.
      const lifted = await tx.$executeRaw`
        UPDATE credit_records SET open_objection_id = NULL, objection_since = NULL, updated_at = ${at}
        WHERE id = ${e.recordId} AND open_objection_id = ${e.caseId}`;
      if (lifted > 0) {
        await enqueueRecordChange(tx, { recordId: e.recordId, change: 'objection_cleared', at, version: e.caseId, caseId: e.caseId });
      }
      if (rule.status) {
        const ended = await tx.$executeRaw`
          UPDATE credit_records SET status = ${rule.status}, ended_at = ${at}, end_reason = ${`objection ${e.caseId}: ${e.outcome}`}, updated_at = ${at}
          WHERE id = ${e.recordId} AND status = 'active'`;
        await endResponsiblePersonEntry(tx, e.recordId, at);
        if (ended > 0) {
          await enqueueRecordChange(tx, { recordId: e.recordId, change: rule.status, at, caseId: e.caseId, reason: e.reasons });
        }
      }
      return;
    }
    case 'end_record_publicity': {
      const ended = await tx.$executeRaw`
        UPDATE credit_records SET status = 'publicity_ended', ended_at = ${at}, end_reason = ${e.reason}, updated_at = ${at}
        WHERE id = ${e.recordId} AND status = 'active'`;
      if (ended > 0) {
        await appendRecordEvent(tx, {
          recordId: e.recordId,
          at,
          ...by,
          action: 'publicity_ended',
          detail: { caseId: e.caseId, reason: e.reason },
          eventKey: `${key}:record`,
        });
        // A repaired Art 48 entry leaves the person's entries; the organisation stays listed.
        await endResponsiblePersonEntry(tx, e.recordId, at);
        await enqueueRecordChange(tx, { recordId: e.recordId, change: 'publicity_ended', at, caseId: e.caseId, reason: e.reason });
      }
      return;
    }
    case 'notify_platform':
      await tellPlatformOfRepair(tx, e, at);
      return;
    case 'release_claim':
      await tx.$executeRaw`DELETE FROM case_claims WHERE target = ${e.target} AND case_id = ${e.caseId}`;
      return;
    case 'case_input':
      await tx.$executeRaw(caseInputInsert(e));
      return;
    case 'document_quoted':
      await issueQuotedDocument(tx, e);
      return;
  }
}

type CaseInputEffect = Extract<CaseEffect, { type: 'case_input' }>;
type QuotedDocumentEffect = Extract<CaseEffect, { type: 'document_quoted' }>;

/** A case's opening facts into `case_inputs`, where `gate` holds: a statement, or a part of a change's statement. */
export function caseInputInsert(e: CaseInputEffect, gate: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO case_inputs (case_id, procedure, input)
    SELECT ${e.caseId}, ${e.procedure}, ${JSON.stringify(e.input)}::jsonb WHERE ${gate}
    ON CONFLICT (case_id) DO NOTHING`;
}

/** A document rendered ahead for an action (api/action-quotes.ts), as `quoted_documents` keeps it until a change takes it. */
export interface QuotedRendering {
  documentId: string;
  caseId: string;
  kind: string;
  title: string;
  issuedAt: string;
  fields: unknown;
  html: string;
  sha256: string;
  servedTo: string | null;
  servedMethod: string | null;
  servedAt: string | null;
}

/**
 * Keeps renderings under their action's Update id where `gate` holds: a statement, or a part of the statement that
 * claims the action. Each rendering once; a retry's beside the first attempt's where they differ, as either may be the
 * one the case took.
 */
export function quotedRenderingsInsert(updateId: string, renderings: QuotedRendering[], gate: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  const rows = renderings.map((r) => ({
    document_id: r.documentId,
    case_id: r.caseId,
    kind: r.kind,
    title: r.title,
    issued_at: r.issuedAt,
    fields: r.fields,
    html: r.html,
    sha256: r.sha256,
    served_to: r.servedTo,
    served_method: r.servedMethod,
    served_at: r.servedAt,
  }));
  return Prisma.sql`
    INSERT INTO quoted_documents (update_id, document_id, case_id, kind, title, issued_at, fields, html, sha256, served_to,
                                  served_method, served_at)
    SELECT ${updateId}, r.document_id, r.case_id, r.kind, r.title, r.issued_at, r.fields, r.html, r.sha256, r.served_to,
           r.served_method, r.served_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
             document_id text, case_id text, kind text, title text, issued_at timestamptz(3), fields jsonb, html text,
             sha256 text, served_to text, served_method text, served_at timestamptz(3))
     WHERE ${gate}
    ON CONFLICT (update_id, document_id, sha256) DO NOTHING`;
}

/** The documents rendered ahead that changes take, by id, with the hash their case recorded. */
export function takenDocuments(effects: CaseEffect[]): { id: string; sha256: string }[] {
  return effects.flatMap((e) => (e.type === 'document_quoted' ? [{ id: String(e.request.documentId), sha256: e.sha256 }] : []));
}

const takenRows = (taken: { id: string; sha256: string }[]) =>
  Prisma.sql`jsonb_to_recordset(${JSON.stringify(taken)}::jsonb) AS d(id text, sha256 text)`;

/** True where every document taken is there to issue as its case recorded it (rendered ahead, or issued already). */
export function quotedDocumentsReady(taken: { id: string; sha256: string }[]): Prisma.Sql {
  return Prisma.sql`NOT EXISTS (
    SELECT 1 FROM ${takenRows(taken)}
     WHERE NOT EXISTS (SELECT 1 FROM quoted_documents q WHERE q.document_id = d.id AND q.sha256 = d.sha256)
       AND NOT EXISTS (SELECT 1 FROM documents o WHERE o.id = d.id AND o.sha256 = d.sha256))`;
}

/**
 * The documents taken, issued where `gate` holds: every rendering of each goes (another request's for the same id was
 * not taken), and the one the case took moves into `documents`. Two parts of a statement, `renderings_taken` and
 * `issued` (which answers the hashes it issued), separated by a comma.
 */
export function quotedDocumentsIssue(taken: { id: string; sha256: string }[], gate: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  return Prisma.sql`
    renderings_taken AS (
      DELETE FROM quoted_documents WHERE document_id = ANY(${taken.map((d) => d.id)}::text[]) AND ${gate}
      RETURNING *),
    issued AS (
      INSERT INTO documents (id, case_id, kind, title, issued_at, fields, html, sha256, served_to, served_method, served_at)
      SELECT DISTINCT ON (r.document_id) r.document_id, r.case_id, r.kind, r.title, r.issued_at, r.fields, r.html,
             r.sha256, r.served_to, r.served_method, r.served_at
        FROM renderings_taken r JOIN ${takenRows(taken)} ON d.id = r.document_id AND d.sha256 = r.sha256
       WHERE TRUE
       ORDER BY r.document_id
      ON CONFLICT (id) DO NOTHING
      RETURNING sha256)`;
}

/**
 * Issues the document an action's caller rendered ahead and the case took: the rendering waits in `quoted_documents`
 * (api/action-quotes.ts) and moves into `documents` with the change, whichever writer writes it first; a second
 * writer finds it issued. The document is never rendered again here, so what is stored is what the case recorded
 * (its sha256); a document under its id with other content is refused, as an activity would refuse it.
 */
async function issueQuotedDocument(tx: SqlTx, e: QuotedDocumentEffect): Promise<void> {
  const documentId = String(e.request.documentId);
  const issued = await tx.$queryRaw<{ sha256: string }[]>`
    WITH ${quotedDocumentsIssue(takenDocuments([e]))}
    SELECT sha256 FROM issued`;
  if (issued.length > 0) return;
  // Written before (a second writer of the same change), or never rendered as the case recorded it.
  const [stored] = await tx.$queryRaw<{ sha256: string }[]>`SELECT sha256 FROM documents WHERE id = ${documentId}`;
  if (stored?.sha256 !== e.sha256) {
    throw new Error(
      stored
        ? `document ${documentId} was already issued with other content (sha256 ${stored.sha256}); it is never overwritten`
        : `document ${documentId} (sha256 ${e.sha256}) was taken by its case but its rendering is gone`,
    );
  }
}

/**
 * A repair's approval, as the exchange tells it: the record's publicity ended or the listing repaired. Both entries
 * are put in by the change itself (above, and the listing's removal); this makes sure of them for histories whose
 * changes were applied before the exchange existed, under the same ids, so nothing is told twice.
 */
async function tellPlatformOfRepair(tx: SqlTx, e: Extract<CaseEffect, { type: 'notify_platform' }>, at: Date): Promise<void> {
  const target = (e.payload as { target?: { kind?: string; recordId?: string; listingCaseId?: string } }).target;
  if (target?.kind === 'record' && target.recordId) {
    const [r] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM credit_records WHERE id = ${target.recordId}`;
    if (r?.status === 'publicity_ended') {
      await enqueueRecordChange(tx, { recordId: target.recordId, change: 'publicity_ended', at, caseId: e.caseId });
    }
  } else if (target?.kind === 'listing' && target.listingCaseId) {
    const [l] = await tx.$queryRaw<{ removal_outcome: string | null }[]>`
      SELECT removal_outcome FROM public_listings WHERE case_id = ${target.listingCaseId} AND status = 'removed'`;
    if (l?.removal_outcome === 'repaired') {
      await enqueueListingChange(tx, { caseId: target.listingCaseId, at, outcome: 'repaired' });
    }
  }
}
