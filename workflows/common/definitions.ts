import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActionChanges, ActionRequest, CaseView, OpenedChanges } from './case-types';

/**
 * Sent to every case with a provisional deadline when a year's holiday schedule is loaded. `loadedAt` (the
 * load's instant) decides where an authority's already-passed date moves; signals sent before it existed lack it.
 */
export const calendarChangedSignal = defineSignal<[{ year: number; version: string; loadedAt?: string }]>('calendarChanged');

/** Every procedure answers these two: the case as its workflow holds it, and an action accepted or refused. */
export const getCaseQuery = defineQuery<CaseView>('getCase');
export const actUpdate = defineUpdate<CaseView, [ActionRequest]>('act');

/**
 * An action whose changes its caller writes (the API, api/action-changes.ts): the workflow decides it in one
 * activation and answers with the changes instead of projecting them itself, which cost the worker a local activity
 * per change (issue 23). The workflow keeps them until the caller is seen to have written them (`confirmedVersion`
 * of a later action) and writes them itself before any change of its own, so none is lost if the caller dies. An
 * action that closes the case is written by the workflow, before the answer (it completes right after).
 */
export const takeActionUpdate = defineUpdate<ActionChanges, [ActionRequest]>('takeAction');

/**
 * Sent with the start of a case (Update-with-Start): answered with the case once its opening is recorded
 * in the workflow, so the API learns the case in the same round trip that starts it, without polling.
 */
export const openedUpdate = defineUpdate<CaseView>('opened');

/**
 * The `opened` Update for a caller that writes the opening itself (the API, as for `takeAction`): answered with the case
 * once its opening is recorded and with the opening's changes, which the workflow then leaves to the caller.
 */
export const openedHandingOverUpdate = defineUpdate<OpenedChanges>('openedHandingOver');

/**
 * `openedHandingOver` answered with the opening's changes alone: the caller works out the case from them as the read
 * model will show it (api/case-answers.ts `caseAsOpened`), so the case does not travel twice, through the worker,
 * Temporal's history and the API, in every case opened (issue 23). The API sends this one; `openedHandingOver` stays
 * for an API released before it, since workers are released first.
 */
export const openedChangesUpdate = defineUpdate<ActionChanges>('openedChanges');
