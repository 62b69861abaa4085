import { defineSignal } from '@temporalio/workflow';

/** Sent to every case with a provisional deadline when a year's holiday schedule is loaded. */
export const calendarChangedSignal = defineSignal<[{ year: number; version: string }]>('calendarChanged');
