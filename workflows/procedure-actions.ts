import type { Procedure } from './common/case-types';
import type { ActionDefinitions } from './common/action-definitions';
import { listingActions } from './listing/actions';
import { objectionActions } from './objection/actions';
import { repairActions } from './repair/actions';

/**
 * Every procedure's action declarations (workflows/<procedure>/actions.ts), by procedure: one table that the API
 * (routes, OpenAPI, checks) and the console (forms, titles) both read. Declarations only; no workflow code.
 */
export const PROCEDURE_ACTIONS: Record<Procedure, ActionDefinitions> = {
  listing: listingActions,
  objection: objectionActions,
  repair: repairActions,
};
