import { z } from 'zod';

const text = (max: number) => z.string().regex(/\S/, 'must not be blank').trim().min(1).max(max);

// The body and views live in contract/, which the console shares; the API's modules keep importing them here.
export {
  penaltyFacts,
  recordCreateBody,
  recordView,
  pendingRecordView,
  type RecordCreateBody,
  type RecordView,
} from '../../contract/records';

export const recordEventView = z.object({
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  department: z.string().nullable(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
});

export const recordReturnBody = z.object({ reasons: text(2_000).describe('why the record goes back to its supplier') });
