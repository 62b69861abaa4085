import { RESPONSIBLE_PERSON_ENTRY_TYPE } from '../../domain/record-types';
import { otherDepartment } from '../words';
import { forbidden, Problem, unprocessable } from '../problem';
import type { ObjectionCreateBody } from '../schemas/objection';
import { contestableRecord, markRecord, objectionInput, releaseMarkIfNotStarted } from './objection-record-mark';
import { storedObjectionDetails } from './objection-details';
import { requireEvidence } from '../evidence-files';
import type { OpenContext, Opening, ProcedureApi } from './procedure';

/**
 * The objection to a credit record: filed by its subject (or an officer on their behalf); the credit agency (the case's
 * department) handles the file; the decision belongs to whoever holds the case then: the agency, or the supplying
 * department it was forwarded to.
 */
export const objection: ProcedureApi<'objection'> = {
  procedure: 'objection',
  workflowType: 'objectionWorkflow',

  /** The record is marked before the case starts, so a second objection is refused from the first moment. */
  async open({ db, temporal, p, now, replayOfOwnFiling }: OpenContext, body: ObjectionCreateBody): Promise<Opening<'objection'>> {
    await contestableRecord(db, p, body.recordId).catch(async (err: unknown) => {
      // A retry of a filing that already marked the record finds its own mark: let it through to join its case.
      if (err instanceof Problem && err.status === 409 && (await replayOfOwnFiling())) return;
      throw err;
    });
    return {
      claim: async (caseId) => {
        const row = await markRecord(db, { p, recordId: body.recordId, caseId, at: now });
        return { input: await objectionInput(db, { caseId, body, p, row, now }), logged: { recordId: body.recordId } };
      },
      abandon: (caseId) => releaseMarkIfNotStarted(db, temporal, { p, recordId: body.recordId, caseId }),
    };
  },

  async checkAction(db, { view, action, p, body }): Promise<void> {
    const { details } = view;
    if (action === 'submit_supplement') {
      requireEvidence(body, {
        zh: '补正材料须至少提供一项证明材料或证据文件',
        en: 'the supplement needs evidence, as text items or files',
      });
    }
    if (p.role === 'officer') {
      const must = action === 'decide' ? details.decidingDepartment : view.department;
      if (p.dept !== must) throw forbidden(otherDepartment(must, action, p.dept));
    }
    if (action === 'forward' && typeof body.department === 'string') {
      const to = body.department;
      const dept = await db.department.findUnique({ where: { code: to } });
      if (!dept) {
        throw unprocessable({ zh: `没有部门 ${to}`, en: `no department ${to}` }, [
          { path: 'body.department', message: { zh: '部门不存在', en: 'unknown department' } },
        ]);
      }
      if (dept.kind !== 'supplying')
        throw unprocessable({ zh: `${to} 不是信息报送部门`, en: `${to} is not a supplying department` }, [
          { path: 'body.department', message: { zh: '须为信息报送部门', en: 'must be a supplying department' } },
        ]);
      // The objection goes to the department that supplied the record (for an Art 48 entry, the recognising one).
      const supplier = details.record.department;
      if (to !== supplier)
        throw unprocessable(
          {
            zh: `该记录不是 ${to} 报送的；异议应转送其报送部门 ${supplier}`,
            en: `${to} did not supply this record; an objection is forwarded to its supplier, ${supplier}`,
          },
          [
            {
              path: 'body.department',
              message: { zh: `须为该记录的报送部门 ${supplier}`, en: `must be the record's supplying department, ${supplier}` },
            },
          ],
        );
    }
    if (action === 'decide' && body.outcome === 'remove_from_list' && !details.record.listingCaseId) {
      throw unprocessable(
        { zh: '该记录不涉及列入名单，无法移出名单', en: 'the record reports no listing, so it cannot be removed from one' },
        [{ path: 'body.outcome', message: { zh: '“移出名单”只适用于列入名单的记录', en: 'remove_from_list needs a listing record' } }],
      );
    }
    // An Art 48 entry reports the organisation's listing but is the person's own record: the person is on no list.
    if (action === 'decide' && body.outcome === 'remove_from_list' && details.record.type === RESPONSIBLE_PERSON_ENTRY_TYPE) {
      throw unprocessable(
        {
          zh: '该记录是第四十八条责任人的记录，不是列入名单本身；请决定删除或更正',
          en: 'the record is an Art 48 entry of a responsible person, not the listing; decide delete or correct',
        },
        [
          {
            path: 'body.outcome',
            message: { zh: '“移出名单”不适用于责任人的记录', en: "remove_from_list does not apply to a responsible person's entry" },
          },
        ],
      );
    }
  },

  /** The supplying department, and the one the case was forwarded to, verify and decide (API.md "objection"). */
  involvedDepartments: (details) => [details.record.department, ...(details.forward ? [details.forward.to] : [])],

  storedDetails: storedObjectionDetails,
};
