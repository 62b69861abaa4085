import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { instant, isoDate, problemSchema } from '../schemas/common';
import {
  CalendarRangeError,
  calendarRangeZh,
  compute,
  shanghaiDate,
  STATUTORY_FIRST_YEAR,
  STATUTORY_LAST_YEAR,
  type PeriodSpec,
} from '../../domain/calendar';
import { loadCalendar, rowToSchedule } from '../../db/calendar-store';
import { raiseCalendarWarnings } from '../../db/calendar-status';
import { unprocessable } from '../problem';
import { idempotent } from '../idempotency';
import { proposalSchema } from '../schemas/settings';
import { calendarYearBody, calendarYearPreview, checkSchedule, scheduleOf } from '../settings/calendar-year-proposal';
import { propose } from '../settings/proposals';
import { settingsContext } from './settings';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema };
const amount = z.coerce.number().int().min(0).max(100_000);

export const calendarRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock = () => new Date() } = deps;
  app.get(
    '/v1/calendar/deadline',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['calendar'],
        summary: 'Compute a deadline on the statutory calendar, with its explanation',
        security: [{ bearer: [] }],
        querystring: z.object({
          from: z.union([isoDate, instant]),
          workingDays: amount.optional(),
          days: amount.optional(),
          months: amount.optional(),
          years: amount.optional(),
        }),
        response: {
          200: z.object({
            from: z.string(),
            dueDate: z.string(),
            dueAt: z.string(),
            calendarVersion: z.string(),
            provisional: z.boolean(),
            explanation: z.array(z.string()),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const given = (['workingDays', 'days', 'months', 'years'] as const).flatMap((unit) => {
        const n = q[unit];
        return n === undefined ? [] : [{ unit, amount: n }];
      });
      const only = given.length === 1 ? given[0] : undefined;
      if (!only) {
        throw unprocessable(
          { zh: 'workingDays、days、months、years 须且只须给出一项', en: 'give exactly one of workingDays, days, months, years' },
          [{ path: 'querystring', message: { zh: `给出了${given.length}项`, en: `got ${given.length}` } }],
        );
      }
      const period: PeriodSpec = { unit: only.unit === 'workingDays' ? 'working_days' : only.unit, amount: only.amount };
      const from = q.from.length === 10 ? q.from : shanghaiDate(q.from);
      const calendar = await loadCalendar(db);
      try {
        const r = compute(calendar, from, period);
        return {
          from,
          dueDate: r.dueDate,
          dueAt: r.dueAt,
          calendarVersion: r.calendarVersion,
          provisional: r.provisional,
          explanation: r.explanation,
        };
      } catch (err) {
        // Only a date outside every rule is refused; an unpublished year is provisional, never a 422.
        if (err instanceof CalendarRangeError) {
          throw unprocessable({ zh: calendarRangeZh(err.message), en: err.message }, [
            {
              path: 'querystring',
              message: {
                zh: `${err.year}年不在${STATUTORY_FIRST_YEAR}至${STATUTORY_LAST_YEAR}年之内`,
                en: `year ${err.year} is outside ${STATUTORY_FIRST_YEAR}–${STATUTORY_LAST_YEAR}`,
              },
            },
          ]);
        }
        // Date arithmetic past year 9999 has no YYYY-MM-DD form: the same answer, out of the supported range.
        if (err instanceof RangeError) {
          throw unprocessable(
            {
              zh: `期限超出日历涵盖的年份（${STATUTORY_FIRST_YEAR}至${STATUTORY_LAST_YEAR}年）`,
              en: `the period runs past the years the calendar answers for (${STATUTORY_FIRST_YEAR}–${STATUTORY_LAST_YEAR})`,
            },
            [{ path: 'querystring', message: { zh: '超出支持的范围', en: 'out of the supported range' } }],
          );
        }
        throw err;
      }
    },
  );

  const yearView = z.object({
    year: z.number().int(),
    source: z.string(),
    version: z.string(),
    holidays: z.array(z.string()),
    workdays: z.array(z.string()),
    loadedAt: z.string(),
    loadedBy: z.string(),
  });

  app.get(
    '/v1/calendar/years',
    {
      preValidation: requireRole('officer', 'supervisor', 'subject'),
      schema: {
        tags: ['calendar'],
        security: [{ bearer: [] }],
        response: { 200: z.object({ items: z.array(yearView) }), ...errors },
      },
    },
    async () => {
      const rows = await db.calendarYear.findMany({ orderBy: { year: 'asc' } });
      return {
        items: rows.map((r) => {
          const s = rowToSchedule(r);
          return {
            year: s.year,
            source: s.source,
            version: s.version,
            holidays: s.holidays,
            workdays: s.workdays,
            loadedAt: r.loadedAt.toISOString(),
            loadedBy: r.loadedBy,
          };
        }),
      };
    },
  );

  const moved = z.object({
    deadlineId: z.string(),
    caseId: z.string(),
    kind: z.string(),
    party: z.enum(['authority', 'subject']),
    from: isoDate,
    to: isoDate,
    rule: z.enum(['official', 'reliance', 'loading_day', 'reopened', 'cut_short']),
  });

  app.get(
    '/v1/calendar/status',
    {
      preValidation: requireRole('officer', 'supervisor'),
      schema: {
        tags: ['calendar'],
        summary: 'Which years open or upcoming periods need that have no holiday notice loaded, and from when supervisors are warned',
        security: [{ bearer: [] }],
        response: {
          200: z.object({
            today: isoDate,
            publishedThrough: z.number().int().nullable(),
            missing: z.array(
              z.object({
                year: z.number().int(),
                provisionalDeadlines: z.number().int(),
                warnFrom: isoDate,
                warning: z.boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    // Reading the status also raises any warning that is due, so it never waits for the daily watch.
    async () => raiseCalendarWarnings(db, clock()),
  );

  app.put(
    '/v1/calendar/years/:year',
    {
      preValidation: requireRole('supervisor'),
      schema: {
        tags: ['calendar'],
        summary:
          "Propose loading the State Council's holiday schedule for a year; a second supervisor approves it (dryRun: only say which deadlines would move)",
        description:
          'Answers 202 with a proposal (`kind: calendar_year`) whose `preview` is what `?dryRun=true` answers; the year is loaded, and ' +
          'provisional deadlines move to it, when a second supervisor approves (`POST /v1/settings/proposals/{id}/approve`).',
        security: [{ bearer: [] }],
        params: z.object({ year: z.coerce.number().int().min(STATUTORY_FIRST_YEAR).max(STATUTORY_LAST_YEAR) }),
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
        body: calendarYearBody,
        response: {
          200: z.object({
            dryRun: z.literal(true),
            year: z.number().int(),
            version: z.string(),
            moved: z.array(moved),
          }),
          202: proposalSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const payload = { year: request.params.year, ...request.body };
      const ctx = settingsContext(deps, request);
      if (request.query.dryRun === 'true') {
        checkSchedule(scheduleOf(payload));
        return reply.code(200).send(await calendarYearPreview(ctx, payload));
      }
      return idempotent(db, request, reply, async (claimId) => ({
        status: 202,
        body: await propose(ctx, { kind: 'calendar_year', payload, by: principalOf(request), claimId }),
      }));
    },
  );
};
