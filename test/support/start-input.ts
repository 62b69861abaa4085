import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';

/** The input a case's workflow was started with, as its history holds it, and its size there in bytes. */
export async function startInputOf(h: WorkflowHandle): Promise<{ input: unknown; bytes: number }> {
  const started = (await h.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = started?.input?.payloads?.[0];
  if (!payload) throw new Error(`${h.workflowId} has no start input in its history`);
  return { input: defaultPayloadConverter.fromPayload(payload), bytes: payload.data?.length ?? 0 };
}

/** What a case's input says of each policy entry it carries: the entries' names, and the fields any of them has. */
export function policyShape(policy: Record<string, object>): { entries: string[]; fields: string[] } {
  const fields = new Set<string>();
  for (const e of Object.values(policy)) for (const f of Object.keys(e)) fields.add(f);
  return { entries: Object.keys(policy).sort(), fields: [...fields].sort() };
}
