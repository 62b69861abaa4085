/**
 * The API reads several pages need besides the case or list they show: the policy in force (the default listing
 * period, the publicity of a record) and the statutory calendar (the working days left on a deadline's tag).
 */
import type { Principal } from '../contract/principal';
import { StatutoryCalendar, type Policy, type YearSchedule } from '../domain/calendar';
import type { apiClient } from './api-client';
import { apiUnavailable } from './api-client';

type Api = ReturnType<typeof apiClient>;

/** The policy a procedure of a department follows on a day (`GET /v1/policy`). */
export async function policyOf(
  api: Api,
  user: Principal,
  q: { procedure: 'listing' | 'objection' | 'repair'; department: string; on: string },
): Promise<Policy> {
  const r = await api<Policy>(user, 'GET', `/v1/policy?${new URLSearchParams(q).toString()}`);
  if (r.status !== 200) throw apiUnavailable('policy read', r.status);
  return r.body;
}

/**
 * The calendar as loaded now (`GET /v1/calendar/years`), built once per set of loaded years: a year's version names
 * its content, so the years and their versions say whether the calendar built before still holds.
 */
let built: { fingerprint: string; calendar: StatutoryCalendar } | undefined;
export async function calendarOf(api: Api, user: Principal): Promise<StatutoryCalendar> {
  const r = await api<{ items: YearSchedule[] }>(user, 'GET', '/v1/calendar/years');
  if (r.status !== 200) throw apiUnavailable('calendar read', r.status);
  const fingerprint = r.body.items.map((y) => `${y.year}:${y.version}`).join(',');
  if (built?.fingerprint !== fingerprint) {
    const schedules = r.body.items.map(({ year, source, version, holidays, workdays }) => ({ year, source, version, holidays, workdays }));
    built = { fingerprint, calendar: new StatutoryCalendar(schedules) };
  }
  return built.calendar;
}
