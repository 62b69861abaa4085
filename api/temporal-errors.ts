import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ACTION_REFUSED } from '../workflows/common/case-types';
import { conflict, notFound, stepFaultProblem, unprocessable, type Problem } from './problem';
import { CalendarRangeError, calendarRangeZh, CALENDAR_YEAR_MISSING } from '../domain/calendar/errors';
import { DOCUMENT_CONFLICT } from '../activities/document-store';
import { ACTION_STEP_FAULT } from '../workflows/common/step-faults';
import { STEP_FAULT_TYPES } from '../domain/faults';
import { causesOf } from '../domain/error-causes';

/** Maps what the Temporal client throws about one case to the API's answer, or null if it is not about the case. */
export function caseProblem(err: unknown, caseId: string): Problem | null {
  if (err instanceof WorkflowNotFoundError) return notFound({ zh: `没有案件 ${caseId}`, en: `no case ${caseId}` });
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === ACTION_REFUSED) {
      // The workflow gives its reason in both languages (`zh` in the details); histories of before give English only.
      const [{ zh, ...info } = {}] = (err.cause.details ?? []) as Record<string, unknown>[];
      return conflict({ zh: typeof zh === 'string' ? zh : `操作未被接受：${err.cause.message}`, en: err.cause.message }, info);
    }
    if (err.cause.type === ACTION_STEP_FAULT) {
      const [info = {}] = (err.cause.details ?? []) as Record<string, unknown>[];
      return stepFaultProblem({ zh: stepFaultZh(info), en: err.cause.message }, info);
    }
  }
  if (err instanceof WorkflowUpdateFailedError) {
    const failures = causesOf(err.cause).filter((c) => c instanceof ApplicationFailure);
    const conflicting = failures.find((c) => c.type === DOCUMENT_CONFLICT);
    if (conflicting) {
      const m = /document (\S+) was already issued with other content \(sha256 (\w+)\)/.exec(conflicting.message);
      const zh = m ? `文书 ${m[1]} 已以不同内容出具（sha256 ${m[2]}），文书一经出具不再覆盖` : '文书已以不同内容出具，不再覆盖';
      return conflict({ zh: `操作未执行：${zh}`, en: `the action was not taken: ${conflicting.message}` }, {});
    }
    // A fault that reached the Update without the workflow's own refusal (an Update outside the `act` path).
    const fault = failures.find((c) => c.type && STEP_FAULT_TYPES.includes(c.type));
    if (fault?.type) {
      return stepFaultProblem(
        { zh: `操作未执行：城市的设置或案件的数据无法使用（${fault.message}）`, en: `the action was not taken: ${fault.message}` },
        { fault: fault.type, cause: fault.message },
      );
    }
    // A period the action would open lies outside every calendar rule (an activity's verdict): refused, nothing changed.
    const beyond = failures.find((c) => c.type === CalendarRangeError.type || c.type === CALENDAR_YEAR_MISSING);
    if (beyond) {
      const zh = calendarRangeZh(beyond.message);
      return unprocessable(
        { zh: `该操作所需的期限无法由日历给出：${zh}`, en: `the action needs a deadline the calendar cannot give: ${beyond.message}` },
        [{ path: 'calendar', message: { zh, en: beyond.message } }],
      );
    }
  }
  return null;
}

/** A step fault's refusal (workflows/common/step-faults.ts) in Chinese, from the facts its details carry. */
function stepFaultZh(info: Record<string, unknown>): string {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const what = info.fault === 'ConfigurationFault' ? '城市的设置' : '案件的数据';
  return `操作 ${str(info.action)} 未执行：其步骤 ${str(info.step)} 因${what}有误无法完成（${str(info.cause)}）。案件未改变；已通知审核人员（事件 ${str(info.incidentId)}）`;
}

/**
 * True only when the case's workflow certainly does not exist, so what a filing claimed for it may be given
 * back. Started, or unknown (the server did not answer): false, and a retry with the same key joins the case.
 */
export async function neverStarted(temporal: Client, caseId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(caseId).describe();
    return false;
  } catch (err) {
    return err instanceof WorkflowNotFoundError;
  }
}

/** What Temporal answers an Update to a workflow that has completed (and never saw that Update's id). */
export function isClosedWorkflowError(err: unknown): boolean {
  return causesOf(err).some(
    (c) =>
      c instanceof WorkflowNotFoundError ||
      (c instanceof Error && /already completed|workflow execution.*(?:completed|closed)/i.test(c.message)),
  );
}
