import { z } from 'zod';
import { objectionActionTitles } from './titles';
import { action, type ActionBodies, type ActionName } from '../common/action-definitions';
import { evidence, evidenceFiles, text } from '../common/schema-parts';
import { OBJECTION_OUTCOMES } from './vocabulary';

/** The actions of the objection procedure (API.md "objection"), each declared once. */
export const objectionActions = {
  request_supplement: action({
    roles: ['officer'],
    title: objectionActionTitles.request_supplement,
    significant: false,
    body: z.object({ items: z.array(text(1_000)).min(1).max(50) }),
    example: { items: ['缴款凭证原件扫描件'] },
  }),
  submit_supplement: action({
    roles: ['subject'],
    title: objectionActionTitles.submit_supplement,
    significant: false,
    // Text items, files or both: at least one, which the API judges (requireEvidence in api/evidence-files.ts).
    body: z.object({ evidence: evidence.default([]), evidenceFiles: evidenceFiles.optional() }),
    example: { evidence: [{ title: '缴款凭证', description: '罚款缴纳凭证扫描件' }] },
  }),
  accept: action({
    roles: ['officer'],
    title: objectionActionTitles.accept,
    significant: false,
    body: z.object({ reasons: text(5_000).optional() }),
    example: { reasons: '材料齐全，予以受理。' },
  }),
  decline: action({
    roles: ['officer'],
    title: objectionActionTitles.decline,
    significant: true,
    body: z.object({ reasons: text(5_000).optional() }),
    example: { reasons: '异议不属于受理范围。' },
  }),
  forward: action({
    roles: ['officer'],
    title: objectionActionTitles.forward,
    significant: false,
    body: z.object({ department: text(40) }),
    example: { department: 'ZY-SAMR' },
  }),
  extend: action({
    roles: ['supervisor'],
    title: objectionActionTitles.extend,
    significant: true,
    body: z.object({ reason: text(5_000), workingDays: z.number().int().min(1).max(60) }),
    example: { reason: '案情复杂，需调取原始档案。', workingDays: 5 },
  }),
  decide: action({
    roles: ['officer'],
    title: objectionActionTitles.decide,
    significant: true,
    // correct and supplement carry the corrected content; the others may not. Said as a union so the OpenAPI document says it.
    body: z.union([
      z.object({ outcome: z.enum(['correct', 'supplement']), reasons: text(20_000), correctedContent: text(20_000) }),
      z.object({
        outcome: z.enum(
          OBJECTION_OUTCOMES.filter((o) => o !== 'correct' && o !== 'supplement') as [
            'delete',
            'stop_disclosure',
            'remove_from_list',
            'keep',
          ],
        ),
        reasons: text(20_000),
      }),
    ]),
    example: { outcome: 'correct', reasons: '罚款金额记载错误。', correctedContent: '因销售过期食品被处罚款五千元。' },
  }),
};

export type ObjectionAction = ActionName<typeof objectionActions>;
export type ObjectionActionBodies = ActionBodies<typeof objectionActions>;
