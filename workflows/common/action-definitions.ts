/**
 * How an action of a procedure is declared, once: who may take it, the zod schema of its body (its TypeScript
 * type is `z.infer` of it), a title and an example. The API checks roles and bodies from it, the OpenAPI
 * document describes each action from it, the workflow receives the parsed body typed by it, and the console
 * builds its forms from it. The workflow bundle takes this file for `typedAction` alone (zod as types only: the
 * workflows name actions by their titles, workflows/<procedure>/titles.ts, and never load a schema). The route of
 * an action and its path from HTTP to Postgres: README "How one action travels"; the contract: docs/http-contract.md.
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

/** What each action of a procedure is called (workflows/<procedure>/titles.ts): every action named, nothing more. */
export type ActionTitles<D extends ActionDefinitions> = { readonly [K in ActionName<D>]: string };

/**
 * Names the request's action among its procedure's (`titles`), typed by its definitions. The body is not parsed
 * again: the API parsed it against the same definition (api/procedures/index.ts, checkAction) and sends what parsed,
 * so parsing here would change nothing but cost every activation zod, which the workflow bundle does without.
 */
export function typedAction<D extends ActionDefinitions>(titles: ActionTitles<D>, req: ActionRequest): TypedActionRequest<D> {
  if (!Object.prototype.hasOwnProperty.call(titles, req.action))
    throw ApplicationFailure.create({
      type: ACTION_MALFORMED,
      message: `no action ${req.action} in this procedure`,
      nonRetryable: true,
    });
  // Typed as an object, but it came over the wire: a handler must not read fields of `null`.
  if (typeof req.body !== 'object' || (req.body as unknown) === null)
    throw ApplicationFailure.create({
      type: ACTION_MALFORMED,
      message: `the body of ${req.action} is not an object`,
      nonRetryable: true,
    });
  // The one place the union is formed: the API parsed `body` against the definition `action` names.
  return req as TypedActionRequest<D>;
}
