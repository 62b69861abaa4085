import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { Words } from '../../contract/problem';
import { stateName } from '../../contract/state-names';
import { ACTION_REFUSED, type ActionChanges, type ActionRequest, type CaseView } from './case-types';
import { actUpdate, getCaseQuery, openedChangesUpdate, openedHandingOverUpdate, openedUpdate, takeActionUpdate } from './definitions';

/**
 * A refusal the API answers with 409 and the reason; `state` and `info` travel as its details. The reason is the
 * failure's message in English, and its Chinese rides in the details as `zh` (the API answers in the request's language).
 */
export function refused(state: string, message: Words, info: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.create({
    type: ACTION_REFUSED,
    message: message.en,
    details: [{ state, ...info, zh: message.zh }],
    nonRetryable: true,
  });
}

/** "action X is not allowed while the case is S": the refusal of an action the case does not offer now (`title`: the action's). */
export function notNow(action: string, state: string, title: string = action): Words {
  return {
    zh: `案件当前为“${stateName(state)}”状态，不能${title}`,
    en: `action ${action} is not allowed while the case is ${state}`,
  };
}

/** The refusal of an officer of another department than the one that acts (`title`: the action's). */
export function otherDepartmentActs(must: string, action: string, title: string = action): Words {
  return { zh: `本案件中只有 ${must} 的工作人员可以${title}`, en: `only an officer of ${must} may ${action} in this case` };
}

export interface CaseActions {
  /** One action at a time (see mutex.ts). */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Why the action cannot be taken now, or null; pure, so the validator and the handler agree. */
  refusal(req: ActionRequest): ApplicationFailure | null;
  handle(req: ActionRequest): Promise<void>;
  /** Runs `take` (the action's work) for a caller that writes the action's changes itself, and answers with them. */
  handingOver(req: ActionRequest, take: () => Promise<void>): Promise<ActionChanges>;
  /** Waits for `until` (the opening recorded) holding what is recorded meanwhile for a caller that writes it itself. */
  handingOverWhile(until: () => Promise<void>): Promise<ActionChanges>;
  view(): CaseView;
  /**
   * False while the workflow is still opening the case (computing its first periods). An action arriving
   * then cannot be judged yet: the validator lets it through and the handler waits, then judges it.
   */
  ready?: () => boolean;
}

/**
 * The `getCase` query, the opening's Updates (`opened`, `openedHandingOver`, `openedChanges`) and the `act` and
 * `takeAction` Updates of a procedure. A refusal from the validator leaves nothing in history; the handler checks again
 * under the lock, since another action may have changed the case.
 */
export function serveCaseActions(a: CaseActions): void {
  const ready = a.ready ?? (() => true);
  const validator = (req: ActionRequest) => {
    const no = ready() ? a.refusal(req) : null;
    if (no) throw no;
  };
  /**
   * Takes the action under the lock once the case can judge it, and answers what `answer` makes of it. Not an async
   * function where the case is ready: each async layer is two more promises, and every promise a workflow makes is
   * a stack captured by the SDK's promise hook (issue 23).
   */
  const taking =
    <T>(answer: (req: ActionRequest, take: () => Promise<void>) => Promise<T>) =>
    (req: ActionRequest): Promise<T> => {
      const judged = (): Promise<T> => {
        const no = a.refusal(req);
        if (no) throw no;
        return answer(req, () => a.handle(req));
      };
      return a.run(() => (ready() ? judged() : condition(ready).then(judged)));
    };
  setHandler(getCaseQuery, () => a.view());
  const opened = () => condition(() => a.view().timeline.length > 0);
  setHandler(openedUpdate, async () => {
    await opened();
    return a.view();
  });
  setHandler(openedHandingOverUpdate, async () => {
    const { changes } = await a.handingOverWhile(opened);
    return { changes, view: a.view() };
  });
  setHandler(openedChangesUpdate, () => a.handingOverWhile(opened));
  setHandler(
    actUpdate,
    taking(async (_req, take) => {
      await take();
      return a.view();
    }),
    { validator },
  );
  setHandler(
    takeActionUpdate,
    taking((req, take) => a.handingOver(req, take)),
    { validator },
  );
}
