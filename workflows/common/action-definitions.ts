/**
 * How an action of a procedure is declared, once: who may take it, the zod schema of its body (its TypeScript
 * type is `z.infer` of it), a title and an example. The API checks roles and bodies from it, the OpenAPI
 * document describes each action from it, the workflow receives the parsed body typed by it, and the console
 * builds its forms from it. Bundled into the workflow sandbox: zod only, no Node built-ins. The route of an action
 * and its path from HTTP to Postgres: README "How one action travels"; the contract: docs/http-contract.md.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { z } from 'zod';
import type { ActionRequest, Role } from './case-types';

export interface ActionDefinition<B extends z.ZodType = z.ZodType> {
  roles: readonly Role[];
  body: B;
  /** What the act is called, in Chinese (the console's button, the OpenAPI summary). */
  title: string;
  /** Legally significant acts (serving, proposing, approving, deciding) get a check-your-answers step in the console. */
  significant: boolean;
  /** A body the action accepts, shown in the OpenAPI document. */
  example: z.input<B>;
}

/** Declares one action; the example is checked against the body's type. */
export function action<B extends z.ZodType>(d: ActionDefinition<B>): ActionDefinition<B> {
  return d;
}

export type ActionDefinitions = Record<string, ActionDefinition>;
export type ActionName<D extends ActionDefinitions> = keyof D & string;
export type ActionBodies<D extends ActionDefinitions> = { [K in ActionName<D>]: z.output<D[K]['body']> };

/** An action request with its body parsed: a union on `action`, so a `switch` narrows the body without casts. */
export type TypedActionRequest<D extends ActionDefinitions> = {
  [K in ActionName<D>]: Omit<ActionRequest, 'action' | 'body'> & { action: K; body: z.output<D[K]['body']> };
}[ActionName<D>];

/** The thrown type when a request names no action of the procedure or its body does not parse. */
export const ACTION_MALFORMED = 'ActionMalformed';

/**
 * Parses a request against its procedure's definitions. The API has validated the body already; parsing again
 * in the workflow (pure, so replay-safe) gives the handler its type and keeps a malformed request out of the case.
 */
export function typedAction<D extends ActionDefinitions>(defs: D, req: ActionRequest): TypedActionRequest<D> {
  const def = Object.prototype.hasOwnProperty.call(defs, req.action) ? defs[req.action] : undefined;
  if (!def)
    throw ApplicationFailure.create({
      type: ACTION_MALFORMED,
      message: `no action ${req.action} in this procedure`,
      nonRetryable: true,
    });
  const parsed = def.body.safeParse(req.body);
  if (!parsed.success) {
    throw ApplicationFailure.create({
      type: ACTION_MALFORMED,
      message: `the body of ${req.action} does not match its definition: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      nonRetryable: true,
    });
  }
  // The one place the union is formed: `def` and `parsed.data` belong to the same action name.
  return { ...req, body: parsed.data } as TypedActionRequest<D>;
}
