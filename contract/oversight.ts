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

export const followUpBody = z.object({ note: z.string().trim().min(1).max(2000) });

export const auditEntryView = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  action: z.string(),
  target: z.string(),
  caseId: z.string().nullable(),
  subjectId: z.string().nullable(),
  detail: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
export type AuditEntryViewOf = z.infer<typeof auditEntryView>;

export const auditVerifyResult = z.object({ ok: z.boolean(), checked: z.number().int(), firstBrokenSeq: z.number().int().optional() });
export type AuditVerifyResult = z.infer<typeof auditVerifyResult>;
