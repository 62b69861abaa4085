import type { ApplicationFailure } from '@temporalio/workflow';
import type { ActionRequest, Actor } from '../../workflows/common/case-types';

/** A request for `action` as the rules receive it: the action's own example body unless `body` is given. */
export function exampleRequest<A extends string>(
  actions: Record<A, { example: Record<string, unknown> }>,
  { action, actor, receivedAt, body }: { action: A; actor: Actor; receivedAt: string; body?: Record<string, unknown> },
): ActionRequest {
  return { action, actor, body: body ?? actions[action].example, receivedAt };
}

/** What a refusal says: its type, its message and its first detail; null where nothing was refused. */
export function why(f: ApplicationFailure | null): { type?: string | null; message: string; info: unknown } | null {
  return f && { type: f.type, message: f.message, info: (f.details as unknown[] | undefined)?.[0] };
}
