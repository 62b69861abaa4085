import { z } from 'zod';
import { listingActionTitles } from './titles';
import { action, type ActionBodies, type ActionName } from '../common/action-definitions';
import { evidenceFiles, instant, serviceMethod, text } from '../common/schema-parts';

/**
 * With method `electronic`, the consented address it goes to (GET /v1/subjects/{id}/service-addresses); the newest
 * consented one when absent. The API refuses electronic service to a subject with none (409), and hands the workflow the
 * address itself; `servedAt` is then when the mail server or SMS gateway accepted the document, not the body's.
 */
const serviceAddressId = z.string().regex(/^SVA-\d{8}-[0-9A-Z]{10}$/, 'is not a service address id');

/** The actions of the listing procedure (API.md "listing"), each declared once. */
export const listingActions = {
  serve_notice: action({
    roles: ['officer'],
    title: listingActionTitles.serve_notice,
    significant: true,
    body: z.object({ servedAt: instant, method: serviceMethod, addressId: serviceAddressId.optional() }),
    example: { servedAt: '2026-12-01T10:00:00+08:00', method: 'in_person' },
  }),
  submit_statement: action({
    roles: ['subject'],
    title: listingActionTitles.submit_statement,
    significant: true,
    body: z.object({ text: text(20_000), requestHearing: z.boolean(), evidenceFiles: evidenceFiles.optional() }),
    example: { text: '对认定事实有异议，请求听证。', requestHearing: true },
  }),
  schedule_hearing: action({
    roles: ['officer'],
    title: listingActionTitles.schedule_hearing,
    significant: false,
    body: z.object({ heldAt: instant, place: text(300) }),
    example: { heldAt: '2026-12-15T09:30:00+08:00', place: '张掖市市场监督管理局听证室' },
  }),
  record_hearing: action({
    roles: ['officer'],
    title: listingActionTitles.record_hearing,
    significant: false,
    body: z.object({ summary: text(20_000) }),
    example: { summary: '当事人陈述了整改情况。' },
  }),
  propose_decision: action({
    roles: ['officer'],
    title: listingActionTitles.propose_decision,
    significant: true,
    body: z.object({
      outcome: z.enum(['list', 'dismiss']),
      reasons: text(20_000),
      measures: z.array(z.string().regex(/\S/, 'must not be blank').trim().min(1).max(20)).min(1).max(50).optional(),
    }),
    example: { outcome: 'list', reasons: '情节严重，符合列入条件。', measures: ['N-01'] },
  }),
  approve_decision: action({
    roles: ['supervisor'],
    title: listingActionTitles.approve_decision,
    significant: true,
    body: z.object({ comment: text(5_000) }),
    example: { comment: '同意。' },
  }),
  reject_decision: action({
    roles: ['supervisor'],
    title: listingActionTitles.reject_decision,
    significant: true,
    body: z.object({ comment: text(5_000) }),
    example: { comment: '事实不清，退回补充。' },
  }),
  serve_decision: action({
    roles: ['officer'],
    title: listingActionTitles.serve_decision,
    significant: true,
    body: z.object({ servedAt: instant, method: serviceMethod, addressId: serviceAddressId.optional() }),
    example: { servedAt: '2026-12-20T10:00:00+08:00', method: 'in_person' },
  }),
  record_remedy: action({
    roles: ['officer'],
    title: listingActionTitles.record_remedy,
    significant: false,
    body: z.object({ kind: z.enum(['reconsideration', 'litigation']), filedAt: instant }),
    example: { kind: 'reconsideration', filedAt: '2027-01-10T10:00:00+08:00' },
  }),
  record_remedy_outcome: action({
    roles: ['officer'],
    title: listingActionTitles.record_remedy_outcome,
    significant: true,
    body: z.object({ outcome: z.enum(['upheld', 'revoked']), decidedAt: instant, reasons: text(20_000) }),
    example: { outcome: 'upheld', decidedAt: '2027-03-01T10:00:00+08:00', reasons: '复议维持。' },
  }),
  revoke: action({
    roles: ['officer'],
    title: listingActionTitles.revoke,
    significant: true,
    body: z.object({ reason: text(5_000), basis: text(2_000) }),
    example: { reason: '据以认定的行政处罚决定已被撤销。', basis: '张市监撤〔2027〕1号' },
  }),
};

export type ListingAction = ActionName<typeof listingActions>;
export type ListingActionBodies = ActionBodies<typeof listingActions>;
