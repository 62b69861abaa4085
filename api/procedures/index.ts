import type { Db } from '../../db/client';
import { roleRefused } from '../words';
import { zodFieldWords } from '../zod-words';
import type { CaseView, Procedure } from '../../workflows/common/case-types';
import { PROCEDURE_ACTIONS } from '../../workflows/procedure-actions';
import type { ActionDefinition } from '../../workflows/common/action-definitions';
import type { Principal } from '../plugins/auth';
import { badRequest, forbidden, notFound } from '../problem';
import type { ProcedureApi } from './procedure';
import { isRecord } from './stored-details';
import { listing } from './listing';
import { objection } from './objection';
import { repair } from './repair';

/**
 * The API's half of each procedure, beside its action declarations (workflows/procedure-actions.ts). Routes take a
 * procedure from here by name and do the rest the same for all: authorise, claim an id, start or update the workflow.
 */
export const PROCEDURES = { listing, objection, repair } satisfies { [P in Procedure]: ProcedureApi<P> };

/** The procedure's API, typed by its name (a name read from a case or a body gives the union's API). */
export function procedureApi<P extends Procedure>(procedure: P): ProcedureApi<P> {
  const all: { [Q in Procedure]: ProcedureApi<Q> } = PROCEDURES;
  return all[procedure];
}

/** Role (403), body (400) and the procedure's own checks (403, 422) before the workflow decides on state (409). */
export async function checkAction(
  db: Db,
  { view, action, p, raw }: { view: CaseView; action: string; p: Principal; raw: unknown },
): Promise<Record<string, unknown>> {
  const actions = PROCEDURE_ACTIONS[view.procedure];
  const def = Object.hasOwn(actions, action) ? actions[action] : undefined;
  if (!def)
    throw notFound({ zh: `${view.procedure} 程序中没有 ${action} 操作`, en: `no action ${action} in the ${view.procedure} procedure` });
  if (!def.roles.includes(p.role)) throw forbidden(roleRefused(p.role, def.roles, { zh: `执行 ${action}`, en: action }));
  const parsed = def.body.safeParse(raw);
  if (!parsed.success) {
    throw badRequest(
      { zh: `${action} 的请求体不符合格式要求`, en: `the body of ${action} does not match the schema` },
      zodFieldWords(parsed.error.issues, 'body'),
    );
  }
  const body = parsed.data;
  // Every action's body is a zod object, so what parsed is one.
  if (!isRecord(body)) throw new Error(`the body schema of ${action} is not an object`);
  switch (view.procedure) {
    case 'listing':
      await PROCEDURES.listing.checkAction(db, { view, action, p, body });
      break;
    case 'objection':
      await PROCEDURES.objection.checkAction(db, { view, action, p, body });
      break;
    case 'repair':
      await PROCEDURES.repair.checkAction(db, { view, action, p, body });
      break;
  }
  return body;
}

/** Each action name with the procedures that have it (accept, decline and decide exist in two). */
type ProcedureAction = { procedure: string; definition: ActionDefinition };
export const ACTIONS_BY_NAME = new Map<string, [ProcedureAction, ...ProcedureAction[]]>();
for (const [procedure, actions] of Object.entries(PROCEDURE_ACTIONS)) {
  for (const [name, definition] of Object.entries(actions)) {
    const earlier = ACTIONS_BY_NAME.get(name);
    ACTIONS_BY_NAME.set(name, earlier ? [...earlier, { procedure, definition }] : [{ procedure, definition }]);
  }
}
