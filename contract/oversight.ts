/**
 * What the supervisors' oversight reads, as the API answers it and the console shows it: the deadline summary per
 * department, escalations with their acknowledgement and follow-ups, audit entries and the chain's verification.
 */
import { z } from 'zod';

export const deadlineSummaryItem = z.object({
  department: z.string(),
  /** Now: open, of them due by the end of the second working day, and past due. */
  open: z.number().int(),
  dueSoon: z.number().int(),
  overdue: z.number().int(),
  /** Closed within the period: breached, met by the due time, met after it. */
  breached: z.number().int(),
  metOnTime: z.number().int(),
  metLate: z.number().int(),
  /** Median calendar days from the start of a period to the act that met it (met within the period), 2 decimals. */
  medianDaysToAct: z.number().nullable(),
  /** The same median in working days of the statutory calendar (the triggering day not counted). */
  medianWorkingDaysToAct: z.number().nullable(),
});
export type DeadlineSummaryItem = z.infer<typeof deadlineSummaryItem>;

export const deadlineSummary = z.object({
  from: z.string(),
  to: z.string(),
  dueSoonCutoff: z.object({ dueAt: z.string(), provisional: z.boolean() }),
  items: z.array(deadlineSummaryItem),
});
export type DeadlineSummary = z.infer<typeof deadlineSummary>;

/** 未确认 / 已确认 / 已督办. */
export const escalationStates = ['unacknowledged', 'acknowledged', 'followed_up'] as const;
export type EscalationState = (typeof escalationStates)[number];

export const escalationFollowUp = z.object({ id: z.string(), at: z.string(), actor: z.string(), note: z.string() });

export const escalationView = z.object({
  id: z.string(),
  deadlineId: z.string().nullable(),
  caseId: z.string().nullable(),
  /** The department that had to act (for a calendar warning, the agency). */
  department: z.string(),
  kind: z.string(),
  at: z.string(),
  detail: z.unknown(),
  state: z.enum(escalationStates),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  followUps: z.array(escalationFollowUp),
});
export type EscalationView = z.infer<typeof escalationView>;

export const followUpBody = z.object({ note: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(2000) });

export const auditEntryView = z.object({
  /** Insertion order: what the log is listed and paged by (the cursor is the last id shown). */
  id: z.number().int(),
  /** The entry's place in the hash chain; null until the sequencer has linked it (seconds at most). */
  seq: z.number().int().nullable(),
  at: z.string(),
  actor: z.string(),
  /** The actor's display name as the identity provider gave it when they acted; null when none was given. */
  actorName: z.string().nullable(),
  role: z.string(),
  action: z.string(),
  target: z.string(),
  caseId: z.string().nullable(),
  subjectId: z.string().nullable(),
  detail: z.unknown(),
  /** Null until linked, like `seq`. */
  prevHash: z.string().nullable(),
  hash: z.string().nullable(),
});
export type AuditEntryViewOf = z.infer<typeof auditEntryView>;

/** A signed checkpoint of the chain's head: Ed25519 over the canonical JSON {"at","hash","seq"} (seq as a string). */
export const auditCheckpointView = z.object({
  seq: z.number().int(),
  hash: z.string(),
  at: z.string(),
  /** The first 16 hex digits of the SHA-256 of the signing public key (SPKI DER). */
  keyId: z.string(),
  /** Base64. */
  signature: z.string(),
});
export type AuditCheckpointViewOf = z.infer<typeof auditCheckpointView>;

export const auditVerifyResult = z.object({
  /** The chain holds, and so does the last checkpoint (its signature, and its hash at its seq) if there is one. */
  ok: z.boolean(),
  /** Linked entries that hold, in chain order, before the first that does not. */
  checked: z.number().int(),
  /** The first seq that does not hold (altered, or missing: then the entry found in its place). */
  firstBrokenSeq: z.number().int().optional(),
  /** The insertion id of that entry, for a link to it in the listing. */
  firstBrokenId: z.number().int().optional(),
  /** Entries appended but not yet linked by the sequencer. */
  unlinked: z.number().int(),
  /** The chain ends before the last checkpoint's seq: entries were removed from its end. */
  truncated: z.boolean(),
  checkpoint: z
    .object({
      seq: z.number().int(),
      hash: z.string(),
      at: z.string(),
      keyId: z.string(),
      /** 'unverifiable': signed by another key than this server's, or the server has none configured. */
      signature: z.enum(['valid', 'invalid', 'unverifiable']),
      /** Whether the chain still holds the checkpoint's hash at its seq. */
      holds: z.boolean(),
    })
    .nullable(),
});
export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;
