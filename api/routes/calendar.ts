import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { instant, isoDate, problemSchema } from '../schemas/common';
import { compute, MissingScheduleError, validateSchedule, shanghaiDate, type PeriodSpec } from '../../domain/calendar';
import { CALENDAR_LOCK, loadCalendar, rowToSchedule, versionOf } from '../../db/calendar-store';
import { appendAudit } from '../../db/audit';
import { badRequest, unprocessable } from '../problem';
import { calendarChangedSignal } from '../../workflows/common/definitions';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 422: problemSchema };
const amount = z.coerce.number().int().min(0).max(100_000);

export const calendarRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, { db, temporal, clock = () => new Date() }) => {
  app.get(
    '/v1/calendar/deadline',
    {
      preHandler: requireRole('officer', 'supervisor', 'subject'),
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
        throw badRequest('give exactly one of workingDays, days, months, years', [{ path: 'querystring', message: `got ${given.length}` }]);
      }
      const key = given[0]!;
      const period: PeriodSpec = { unit: key === 'workingDays' ? 'working_days' : key, amount: q[key]! };
      const from = q.from.length === 10 ? q.from : shanghaiDate(q.from);
      const calendar = await loadCalendar(db);
      try {
        const r = compute(calendar, from, period);
        return { from, dueDate: r.dueDate, dueAt: r.dueAt, calendarVersion: r.calendarVersion, provisional: r.provisional, explanation: r.explanation };
      } catch (err) {
        if (err instanceof MissingScheduleError) {
          throw unprocessable(`the State Council's holiday schedule for ${err.year} is not published (loaded) yet; a working-day period running into ${err.year} cannot be computed`, [
            { path: 'querystring', message: `calendar year ${err.year} not published` },
          ]);
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
      preHandler: requireRole('officer', 'supervisor', 'subject'),
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

  app.put(
    '/v1/calendar/years/:year',
    {
      preHandler: requireRole('supervisor'),
      schema: {
        tags: ['calendar'],
        summary: "Load the State Council's holiday schedule for a year; provisional deadlines move to it",
        security: [{ bearer: [] }],
        params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        body: z.object({
          source: z.string().trim().min(1).max(500),
          holidays: z.array(isoDate).min(1).max(60),
          workdays: z.array(isoDate).max(30),
        }),
        response: {
          200: yearView.extend({ changed: z.boolean(), casesToRecompute: z.number().int() }),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const { year } = request.params;
      const body = request.body;
      const schedule = { year, source: body.source, version: versionOf(year, body.holidays, body.workdays), holidays: [...new Set(body.holidays)].sort(), workdays: [...new Set(body.workdays)].sort() };
      const problems = validateSchedule(schedule);
      if (problems.length) throw unprocessable(`the schedule for ${year} is not sound`, problems.map((m) => ({ path: 'body', message: m })));

      const existing = await db.calendarYear.findUnique({ where: { year } });
      const changed = !existing || existing.version !== schedule.version || existing.source !== schedule.source;
      const now = clock();
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
            detail: { year, version: schedule.version, previousVersion: existing?.version ?? null, source: schedule.source },
          });
        });
      }
      // Every case whose open deadline is provisional, or was computed on an earlier version of this year.
      const affected = await db.$queryRaw<{ case_id: string }[]>`
        SELECT DISTINCT case_id FROM deadlines
        WHERE status IN ('open', 'suspended') AND (provisional OR calendar_version LIKE ${`%${year}-%`})`;
      await Promise.all(
        affected.map((r) =>
          temporal.workflow
            .getHandle(r.case_id)
            .signal(calendarChangedSignal, { year, version: schedule.version })
            .catch((err) => request.log.warn({ caseId: r.case_id, err: (err as Error).message }, 'could not signal a case to recompute')),
        ),
      );
      const row = (await db.calendarYear.findUnique({ where: { year } }))!;
      return {
        year,
        source: row.source,
        version: row.version,
        holidays: schedule.holidays,
        workdays: schedule.workdays,
        loadedAt: row.loadedAt.toISOString(),
        loadedBy: row.loadedBy,
        changed,
        casesToRecompute: affected.length,
      };
    },
  );

};
