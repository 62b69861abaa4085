import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { instant, isoDate, problemSchema } from '../schemas/common';
import {
  CalendarRangeError,
  compute,
  officialScheduleProblems,
  shanghaiDate,
  STATUTORY_FIRST_YEAR,
  STATUTORY_LAST_YEAR,
  validateSchedule,
  type PeriodSpec,
} from '../../domain/calendar';
import { CALENDAR_LOCK, loadCalendar, rowToSchedule, versionOf } from '../../db/calendar-store';
import { deadlinesMovedBy, raiseCalendarWarnings } from '../../db/calendar-status';
import { flagCutShortWindows, lapsedWindowsOf } from '../../db/lapsed-windows';
import { appendAudit } from '../../db/audit';
import { unprocessable } from '../problem';
import { calendarChangedSignal } from '../../workflows/common/definitions';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema };
const amount = z.coerce.number().int().min(0).max(100_000);

export const calendarRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, temporal, clock = () => new Date() }) => {
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
      const given = (['workingDays', 'days', 'months', 'years'] as const).filter((k) => q[k] !== undefined);
      if (given.length !== 1) {
        throw unprocessable('give exactly one of workingDays, days, months, years', [{ path: 'querystring', message: `got ${given.length}` }]);
      }
      const key = given[0]!;
      const period: PeriodSpec = { unit: key === 'workingDays' ? 'working_days' : key, amount: q[key]! };
      const from = q.from.length === 10 ? q.from : shanghaiDate(q.from);
      const calendar = await loadCalendar(db);
      try {
        const r = compute(calendar, from, period);
        return { from, dueDate: r.dueDate, dueAt: r.dueAt, calendarVersion: r.calendarVersion, provisional: r.provisional, explanation: r.explanation };
      } catch (err) {
        // Only a date outside every rule is refused; an unpublished year is provisional, never a 422.
        if (err instanceof CalendarRangeError) {
          throw unprocessable(err.message, [{ path: 'querystring', message: `year ${err.year} is outside ${STATUTORY_FIRST_YEAR}–${STATUTORY_LAST_YEAR}` }]);
        }
        // Date arithmetic past year 9999 has no YYYY-MM-DD form: the same answer, out of the supported range.
        if (err instanceof RangeError) {
          throw unprocessable(`the period runs past the years the calendar answers for (${STATUTORY_FIRST_YEAR}–${STATUTORY_LAST_YEAR})`, [{ path: 'querystring', message: 'out of the supported range' }]);
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
      schema: { tags: ['calendar'], security: [{ bearer: [] }], response: { 200: z.object({ items: z.array(yearView) }), ...errors } },
    },
    async () => {
      const rows = await db.calendarYear.findMany({ orderBy: { year: 'asc' } });
      return {
        items: rows.map((r) => {
          const s = rowToSchedule(r);
          return { year: s.year, source: s.source, version: s.version, holidays: s.holidays, workdays: s.workdays, loadedAt: r.loadedAt.toISOString(), loadedBy: r.loadedBy };
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
            missing: z.array(z.object({ year: z.number().int(), provisionalDeadlines: z.number().int(), warnFrom: isoDate, warning: z.boolean() })),
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
        summary: "Load the State Council's holiday schedule for a year; provisional deadlines move to it (dryRun: only say which)",
        security: [{ bearer: [] }],
        params: z.object({ year: z.coerce.number().int().min(STATUTORY_FIRST_YEAR).max(STATUTORY_LAST_YEAR) }),
        querystring: z.object({ dryRun: z.enum(['true', 'false']).default('false') }),
        body: z.object({
          source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500),
          holidays: z.array(isoDate).min(1).max(60),
          workdays: z.array(isoDate).max(30),
        }),
        response: {
          200: z.union([
            yearView.extend({ dryRun: z.literal(false), changed: z.boolean(), casesToRecompute: z.number().int(), moved: z.array(moved) }),
            z.object({ dryRun: z.literal(true), year: z.number().int(), version: z.string(), moved: z.array(moved) }),
          ]),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { year } = request.params;
      const dryRun = request.query.dryRun === 'true';
      const body = request.body;
      const schedule = { year, source: body.source, version: versionOf(year, body.holidays, body.workdays), holidays: [...new Set(body.holidays)].sort(), workdays: [...new Set(body.workdays)].sort() };
      // A schedule that cannot be the State Council's notice would make every deadline of the year wrong, as if official.
      const problems = [...validateSchedule(schedule), ...officialScheduleProblems(schedule)];
      if (problems.length) throw unprocessable(`the schedule for ${year} cannot be the State Council's notice: ${problems.join('; ')}`, problems.map((m) => ({ path: 'body', message: m })));

      const now = clock();
      const loadedOn = shanghaiDate(now.toISOString());
      const next = (await loadCalendar(db)).withSchedule(schedule);
      if (dryRun) return { dryRun: true as const, year, version: schedule.version, moved: await deadlinesMovedBy(db, year, next, loadedOn, now) };

      const existing = await db.calendarYear.findUnique({ where: { year } });
      const changed = !existing || existing.version !== schedule.version || existing.source !== schedule.source;
      const movedNow = await deadlinesMovedBy(db, year, next, existing && !changed ? shanghaiDate(existing.loadedAt.toISOString()) : loadedOn, now);
      if (changed) {
        await db.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CALENDAR_LOCK}::bigint)`;
          await tx.calendarYear.upsert({
            where: { year },
            create: { year, source: schedule.source, version: schedule.version, holidays: { dates: schedule.holidays }, workdays: schedule.workdays, loadedAt: now, loadedBy: p.sub },
            update: { source: schedule.source, version: schedule.version, holidays: { dates: schedule.holidays }, workdays: schedule.workdays, loadedAt: now, loadedBy: p.sub },
          });
          await appendAudit(tx, {
            actor: p.sub,
            role: p.role,
            action: 'calendar.year_loaded',
            target: `calendar:${year}`,
            detail: { year, version: schedule.version, previousVersion: existing?.version ?? null, source: schedule.source, moved: movedNow.length },
          });
        });
      }
      const row = (await db.calendarYear.findUnique({ where: { year } }))!;
      // Every case whose open deadline is provisional, or was computed on an earlier version of this year.
      const affected = await db.$queryRaw<{ case_id: string }[]>`
        SELECT DISTINCT case_id FROM deadlines
        WHERE status IN ('open', 'suspended') AND (provisional OR calendar_version LIKE ${`%${year}-%`})`;
      const loadedAt = row.loadedAt.toISOString();
      // A subject's lapsed window the official count ends later: its case reopens it, or the supervisors are told.
      const reopening = movedNow.filter((m) => m.rule === 'reopened').map((m) => ({ case_id: m.caseId }));
      await flagCutShortWindows(db, await lapsedWindowsOf(db, year, next, now), next, now);
      const signalled = [...new Map([...affected, ...reopening].map((r) => [r.case_id, r])).values()];
      await Promise.all(
        signalled.map((r) =>
          temporal.workflow
            .getHandle(r.case_id)
            .signal(calendarChangedSignal, { year, version: schedule.version, loadedAt })
            .catch((err) => request.log.warn({ caseId: r.case_id, err: (err as Error).message }, 'could not signal a case to recompute')),
        ),
      );
      return {
        dryRun: false as const,
        year,
        source: row.source,
        version: row.version,
        holidays: schedule.holidays,
        workdays: schedule.workdays,
        loadedAt,
        loadedBy: row.loadedBy,
        changed,
        casesToRecompute: signalled.length,
        moved: movedNow,
      };
    },
  );
};
