/**
 * The statutory calendar: working days per the State Council's holiday notices, legal periods, service
 * dates and the policy table of periods. Pure and deterministic, so Temporal activities and the API
 * compute the same deadline from the same inputs.
 */

export * from './types';
export * from './errors';
export * from './schedule';
export * from './statutory';
export * from './recompute';
export * from './compute';
export * from './calendar';
export * from './service';
export * from './policy';
export * from './policy-bounds';
export { isIsoDate, addDays, weekday } from './dates';
