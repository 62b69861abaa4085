import { z } from 'zod';
import { proposalKindNames } from '../settings/proposal-kinds';

export const proposalStatuses = ['proposed', 'approved', 'rejected'] as const;

/** A proposed change of the city's legal settings (api/settings/proposals.ts). */
export const proposalSchema = z.object({
  id: z.string(),
  kind: z.enum(proposalKindNames),
  status: z.enum(proposalStatuses),
  proposedBy: z.string(),
  proposedAt: z.string(),
  payload: z.unknown(),
  preview: z.unknown(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  reasons: z.array(z.string()).nullable(),
  result: z.unknown(),
});
