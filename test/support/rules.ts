import type { ApplicationFailure } from '@temporalio/workflow';
import type { ActionRequest, Actor } from '../../workflows/common/case-types';

/** A request for `action` as the rules receive it: the action's own example body unless `body` is given. */
export function exampleRequest<A extends string>(
  actions: Record<A, { example: Record<string, unknown> }>,
  { action, actor, receivedAt, body }: { action: A; actor: Actor; receivedAt: string; body?: Record<string, unknown> },
): ActionRequest {
  return { action, actor, body: body ?? actions[action].example, receivedAt };
}

/**
 * What a refusal says: its type, its message (English) and its first detail less its Chinese; null where nothing was
 * refused. Every refusal must carry its reason in Chinese too (`zh` in the detail, which the API answers by default).
 */
export function why(f: ApplicationFailure | null): { type?: string | null; message: string; info: unknown } | null {
  if (!f) return null;
  const detail = (f.details as Record<string, unknown>[] | undefined)?.[0];
  if (!detail) return { type: f.type, message: f.message, info: detail };
  const { zh, ...info } = detail;
  if (typeof zh !== 'string' || !/[\u4e00-\u9fff]/.test(zh)) throw new Error(`the refusal "${f.message}" has no Chinese reason`);
  return { type: f.type, message: f.message, info };
}
