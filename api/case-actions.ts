import type { Db } from '../db/client';
import type { Principal } from './plugins/auth';
import { badRequest, forbidden, notFound, unprocessable } from './problem';
import type { CaseView, Procedure } from '../workflows/common/case-types';
import type { ObjectionAction } from '../workflows/objection/actions';
import { PROCEDURE_ACTIONS } from '../workflows/procedure-actions';
import { RESPONSIBLE_PERSON_ENTRY_TYPE } from '../domain/record-types';

/** Rules the API can judge from the case as read (403, 422); the workflow judges state (409). */
type ProcedureCheck = (db: Db, view: CaseView, action: string, p: Principal, body: Record<string, unknown>) => Promise<void>;

const PROCEDURE_CHECKS: Record<Procedure, ProcedureCheck> = {
  listing: checkListingAction,
  objection: checkObjectionAction,
  repair: checkRepairAction,
};

/** Role (403), body (400) and domain (422) checks before the workflow decides on state (409). */
export async function checkAction(db: Db, view: CaseView, action: string, p: Principal, raw: unknown): Promise<Record<string, unknown>> {
  const actions = PROCEDURE_ACTIONS[view.procedure];
  const def = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
  if (!def) throw notFound(`no action ${action} in the ${view.procedure} procedure`);
  if (!def.roles.includes(p.role)) throw forbidden(`role ${p.role} may not ${action}; allowed: ${def.roles.join(', ')}`);
  const parsed = def.body.safeParse(raw);
  if (!parsed.success) {
    throw badRequest(
      `the body of ${action} does not match the schema`,
      parsed.error.issues.map((i) => ({ path: ['body', ...i.path].join('.'), message: i.message })),
    );
  }
  const body = parsed.data as Record<string, unknown>;
  await PROCEDURE_CHECKS[view.procedure](db, view, action, p, body);
  return body;
}

async function checkListingAction(db: Db, _view: CaseView, action: string, _p: Principal, body: Record<string, unknown>): Promise<void> {
  if (action !== 'propose_decision' || !Array.isArray(body.measures)) return;
  const codes = body.measures as string[];
  const known = new Set((await db.measure.findMany({ where: { code: { in: codes } }, select: { code: true } })).map((m) => m.code));
  const unknown = codes.map((c, i) => ({ c, i })).filter(({ c }) => !known.has(c));
  if (unknown.length) {
    throw unprocessable(
      'measures must come from the catalogue (Art 43)',
      unknown.map(({ c, i }) => ({ path: `body.measures.${i}`, message: `measure ${c} is not in the catalogue` })),
    );
  }
}

/**
 * The credit agency (the case's department) handles the file; the decision belongs to whoever holds the
 * case then: the agency, or the supplying department it was forwarded to.
 */
async function checkObjectionAction(db: Db, view: CaseView, action: string, p: Principal, body: Record<string, unknown>): Promise<void> {
  const details = view.details as {
    decidingDepartment?: string;
    record?: { listingCaseId?: string | null; type?: string; department?: string };
  };
  if (p.role === 'officer') {
    const must = (action as ObjectionAction) === 'decide' ? (details.decidingDepartment ?? view.department) : view.department;
    if (p.dept !== must) throw forbidden(`only an officer of ${must} may ${action} in this case; you act for ${p.dept}`);
  }
  if (action === 'forward') {
    const to = body.department as string;
    const dept = await db.department.findUnique({ where: { code: to } });
    if (!dept) throw unprocessable(`no department ${to}`, [{ path: 'body.department', message: 'unknown department' }]);
    if (dept.kind !== 'supplying')
      throw unprocessable(`${to} is not a supplying department`, [{ path: 'body.department', message: 'must be a supplying department' }]);
    // The objection goes to the department that supplied the record (for an Art 48 entry, the recognising one).
    const supplier = details.record?.department;
    if (supplier && to !== supplier)
      throw unprocessable(`${to} did not supply this record; an objection is forwarded to its supplier, ${supplier}`, [
        { path: 'body.department', message: `must be the record's supplying department, ${supplier}` },
      ]);
  }
  if (action === 'decide' && body.outcome === 'remove_from_list' && !details.record?.listingCaseId) {
    throw unprocessable('the record reports no listing, so it cannot be removed from one', [
      { path: 'body.outcome', message: 'remove_from_list needs a listing record' },
    ]);
  }
  // An Art 48 entry reports the organisation's listing but is the person's own record: the person is on no list.
  if (action === 'decide' && body.outcome === 'remove_from_list' && details.record?.type === RESPONSIBLE_PERSON_ENTRY_TYPE) {
    throw unprocessable('the record is an Art 48 entry of a responsible person, not the listing; decide delete or correct', [
      { path: 'body.outcome', message: "remove_from_list does not apply to a responsible person's entry" },
    ]);
  }
}

/**
 * The credit agency (the case's department) accepts or declines; the decision belongs to the department that
 * recognised the listing or supplied the record (`details.decidingDepartment`; the agency on cases filed before).
 */
async function checkRepairAction(_db: Db, view: CaseView, action: string, p: Principal): Promise<void> {
  if (p.role !== 'officer') return;
  const deciding = (view.details as { decidingDepartment?: string }).decidingDepartment ?? view.department;
  const must = action === 'decide' ? deciding : view.department;
  if (p.dept !== must) throw forbidden(`only an officer of ${must} may ${action} in this case; you act for ${p.dept}`);
}
