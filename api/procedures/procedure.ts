import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import type { Principal } from '../plugins/auth';
import type { CaseView, Procedure } from '../../workflows/common/case-types';
import type { ListingCreateBody, ListingImportBody } from '../schemas/case';
import type { ObjectionCreateBody } from '../schemas/objection';
import type { RepairCreateBody } from '../schemas/repair';
import type { ListingInput } from '../../workflows/listing/definitions';
import type { ObjectionInput } from '../../workflows/objection/definitions';
import type { RepairInput } from '../../workflows/repair/definitions';

/** What each procedure is opened with, by the API and by its workflow. */
interface ProcedureTypes {
  listing: { body: ListingCreateBody; input: ListingInput; workflowType: 'listingWorkflow' };
  objection: { body: ObjectionCreateBody; input: ObjectionInput; workflowType: 'objectionWorkflow' };
  repair: { body: RepairCreateBody; input: RepairInput; workflowType: 'repairWorkflow' };
}

export type CreateBodyOf<P extends Procedure> = ProcedureTypes[P]['body'];
export type WorkflowInputOf<P extends Procedure> = ProcedureTypes[P]['input'];
export type CaseViewOfProcedure<P extends Procedure> = Extract<CaseView, { procedure: P }>;

/** What opening a case needs beyond the caller's body. */
export interface OpenContext {
  db: Db;
  temporal: Client;
  p: Principal;
  now: Date;
  /** True when this request repeats an earlier one (same caller and Idempotency-Key) that already claimed a case. */
  replayOfOwnFiling: () => Promise<boolean>;
}

/**
 * A case that passed the procedure's checks, to be started under the id the request's Idempotency-Key claims: `claim`
 * takes what the case holds (a record's objection mark, a repair's target) and makes the workflow's input; `abandon`
 * gives that back when the workflow could not be started.
 */
export interface Opening<P extends Procedure> {
  claim: (caseId: string) => Promise<OpeningClaim<P>>;
  /**
   * `claim` of an opening that takes nothing (a listing's): the input for any case id at once, so a new
   * Idempotency-Key claims the opening in its own statement (api/routes/cases.ts `startCase`).
   */
  claimOf?: (caseId: string) => OpeningClaim<P>;
  abandon?: (caseId: string) => Promise<void>;
}

/** The workflow's input of a claimed opening, and what is logged of it. */
export interface OpeningClaim<P extends Procedure> {
  input: WorkflowInputOf<P>;
  logged: Record<string, unknown>;
}

/** One action on one case, by one principal, with a body that matched the action's schema. */
export interface ActionCheck<V extends CaseView = CaseView> {
  view: V;
  action: string;
  p: Principal;
  body: Record<string, unknown>;
}

/** The API's half of one procedure: opening its cases, the checks before its actions, and reading its details. */
export interface ProcedureApi<P extends Procedure> {
  readonly procedure: P;
  readonly workflowType: ProcedureTypes[P]['workflowType'];
  /** Role (403), existence (404), state (409) and domain (422) checks before a case id is claimed. */
  open: (ctx: OpenContext, body: CreateBodyOf<P>) => Promise<Opening<P>>;
  /** Only the listing: a case decided before the system went live, imported by a supervisor. */
  import?: (ctx: OpenContext, body: ListingImportBody) => Promise<Opening<P>>;
  /**
   * The checks the API can judge from the case as read before an action (403, 422), on a body that matched the
   * action's schema; the workflow judges state (409).
   */
  checkAction: (db: Db, check: ActionCheck<CaseViewOfProcedure<P>>) => Promise<void>;
  /** The departments a case involves besides its own (they may see it). */
  involvedDepartments: (details: CaseViewOfProcedure<P>['details']) => string[];
  /** The details as the workflow wrote them, from their JSON in Postgres; `department` is the case's own. */
  storedDetails: (json: unknown, department: string) => CaseViewOfProcedure<P>['details'];
}
