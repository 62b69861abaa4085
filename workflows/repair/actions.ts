import { z } from 'zod';
import { repairActionTitles } from './titles';
import { action, type ActionBodies, type ActionName } from '../common/action-definitions';
import { isoDate, text } from '../common/schema-parts';

/** The actions of the credit repair procedure (API.md "repair"), each declared once. */
export const repairActions = {
  accept: action({
    roles: ['officer'],
    title: repairActionTitles.accept,
    significant: false,
    body: z.object({ reasons: text(5_000).optional() }),
    example: { reasons: '材料齐全。' },
  }),
  decline: action({
    roles: ['officer'],
    title: repairActionTitles.decline,
    significant: true,
    body: z.object({ reasons: text(5_000).optional() }),
    example: { reasons: '不符合受理条件。' },
  }),
  decide: action({
    roles: ['officer'],
    title: repairActionTitles.decide,
    significant: true,
    body: z.object({ outcome: z.enum(['approve', 'reject']), reasons: text(20_000), reapplyAfter: isoDate.optional() }),
    example: { outcome: 'approve', reasons: '已履行义务并作出信用承诺。' },
  }),
};

export type RepairAction = ActionName<typeof repairActions>;
export type RepairActionBodies = ActionBodies<typeof repairActions>;
