import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ActionRequest, CaseView } from './case-types';

/**
 * Sent to every case with a provisional deadline when a year's holiday schedule is loaded. `loadedAt` (the
 * load's instant) decides where an authority's already-passed date moves; signals sent before it existed lack it.
 */
export const calendarChangedSignal = defineSignal<[{ year: number; version: string; loadedAt?: string }]>('calendarChanged');

/** Every procedure answers these two: the case as its workflow holds it, and an action accepted or refused. */
export const getCaseQuery = defineQuery<CaseView>('getCase');
export const actUpdate = defineUpdate<CaseView, [ActionRequest]>('act');

/**
 * Sent with the start of a case (Update-with-Start): answered with the case once its opening is recorded
 * in the workflow, so the API learns the case in the same round trip that starts it, without polling.
 */
export const openedUpdate = defineUpdate<CaseView>('opened');
