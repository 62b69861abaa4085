import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app';
import { principalOf, requireRole } from '../plugins/auth';
import { decodeCursor, encodeCursor, instant, isoDate, pageOf, pageQuery, problemSchema } from '../schemas/common';
import { deadlineRowToView } from '../deadline-views';
import { dueSoonCutoff } from '../calendar-service';
import { shanghaiDate } from '../case-ids';
import type { Prisma } from '../../generated/prisma/client';
import { deadlineSummary, type DeadlineSummaryItem } from '../../contract/oversight';
import { workingDayExceptions } from '../working-day-exceptions';
import { escalationRoutes } from './escalations';

const statuses = ['open', 'suspended', 'met', 'lapsed', 'breached', 'cancelled', 'due_soon', 'overdue', 'met_on_time', 'met_late'] as const;
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema };

/**
 * Supervisors' audit of deadlines: every open period, when it falls due, what was done and when, who
 * was late. Supervisors see all departments; officers their own.
 */
export const deadlineRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  const { db, clock = () => new Date() } = deps;
  app.get(
    '/v1/deadlines',
    {
      preValidation: requireRole('officer', 'supervisor'),
      schema: {
        tags: ['deadlines'],
        security: [{ bearer: [] }],
        querystring: z.object({
          status: z.enum(statuses).optional(),
          department: z.string().max(40).optional(),
          procedure: z.enum(['listing', 'objection', 'repair']).optional(),
          caseId: z.string().max(40).optional(),
          party: z.enum(['authority', 'subject']).optional(),
          dueBefore: instant.optional(),
          dueAfter: instant.optional(),
          // Closed within these whole Shanghai days, as the summary counts its period (the deadlines behind its figures).
          closedFrom: isoDate.optional(),
          closedTo: isoDate.optional(),
          ...pageQuery,
        }),
        response: {
          200: z.object({
            items: z.array(z.record(z.string(), z.unknown())),
            nextCursor: z.string().nullable(),
            dueSoonCutoff: z.object({ dueAt: z.string(), provisional: z.boolean() }).optional(),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      if (p.role === 'officer' && q.department && q.department !== p.dept) return { items: [], nextCursor: null };
      const department = p.role === 'officer' ? p.dept : q.department;
      const now = clock();
      const where: Prisma.DeadlineWhereInput = {
        ...(department ? { department } : {}),
        ...(q.procedure ? { procedure: q.procedure } : {}),
        ...(q.caseId ? { caseId: q.caseId } : {}),
        ...(q.party ? { party: q.party } : {}),
      };
      const due: Prisma.DateTimeFilter = {};
      if (q.dueBefore) due.lt = new Date(q.dueBefore);
      if (q.dueAfter) due.gt = new Date(q.dueAfter);
      let cutoff: { dueAt: string; provisional: boolean } | undefined;
      if (q.status === 'overdue') {
        where.status = 'open';
        due.lt = minDate(due.lt, now);
      } else if (q.status === 'due_soon') {
        cutoff = await dueSoonCutoff(db, shanghaiDate(now));
        where.status = 'open';
        due.gte = now;
        due.lte = new Date(cutoff.dueAt);
      } else if (q.status === 'met_on_time') {
        where.status = 'met';
        where.metAt = { lte: db.deadline.fields.dueAt };
      } else if (q.status === 'met_late') {
        where.status = 'met';
        where.metAt = { gt: db.deadline.fields.dueAt };
      } else if (q.status) {
        where.status = q.status;
      }
      if (Object.keys(due).length) where.dueAt = due;
      if (q.closedFrom || q.closedTo) {
        where.closedAt = {
          ...(q.closedFrom ? { gte: periodStart(q.closedFrom) } : {}),
          ...(q.closedTo ? { lt: periodEnd(q.closedTo) } : {}),
        };
      }
      const after = decodeCursor(q.cursor, ['instant', 'id']) as [string, string] | null;
      if (after) {
        where.OR = [{ dueAt: { gt: new Date(after[0]) } }, { dueAt: new Date(after[0]), id: { gt: after[1] } }];
      }
      const rows = await db.deadline.findMany({ where, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], take: q.limit + 1 });
      const { page, nextCursor } = pageOf(rows, q.limit, (last) => encodeCursor([last.dueAt.toISOString(), last.id]));
      return {
        items: page.map(deadlineRowToView),
        nextCursor,
        ...(cutoff ? { dueSoonCutoff: cutoff } : {}),
      };
    },
  );

  app.get(
    '/v1/deadlines/summary',
    {
      preValidation: requireRole('officer', 'supervisor'),
      schema: {
        tags: ['deadlines'],
        summary:
          'Per department: open, due soon, overdue now; breached, met on time and late, median calendar and working days to act within [from, to]',
        security: [{ bearer: [] }],
        querystring: z.object({ from: isoDate, to: isoDate, department: z.string().max(40).optional() }),
        response: {
          200: deadlineSummary,
          ...errors,
        },
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      const department = p.role === 'officer' ? p.dept : (q.department ?? null);
      const now = clock();
      const cutoff = await dueSoonCutoff(db, shanghaiDate(now));
      // Period bounds are whole Shanghai days: [from 00:00, to+1 00:00).
      const start = periodStart(q.from);
      const end = periodEnd(q.to);
      const days = await workingDayExceptions(db, now);
      // The figures at once: each is an index read (see bench/deadlines.bench.ts and bench/dashboard.bench.ts for the plans).
      const [current, closed, working] = await Promise.all([
        db.$queryRaw<{ department: string; open: bigint; due_soon: bigint; overdue: bigint }[]>`
          SELECT department,
                 count(*) AS open,
                 count(*) FILTER (WHERE due_at >= ${now} AND due_at <= ${new Date(cutoff.dueAt)}) AS due_soon,
                 count(*) FILTER (WHERE due_at < ${now}) AS overdue
          FROM deadlines
          WHERE status = 'open' AND (${department}::text IS NULL OR department = ${department})
          GROUP BY department`,
        // One index range per department (departments holds every code a deadline can carry).
        db.$queryRaw<{ department: string; breached: bigint; met_on_time: bigint; met_late: bigint; median_days: unknown }[]>`
          SELECT d.code AS department, x.breached, x.met_on_time, x.met_late, x.median_days
          FROM (SELECT code FROM departments UNION SELECT ${department}::text WHERE ${department}::text IS NOT NULL) d
          CROSS JOIN LATERAL (
            SELECT count(*) FILTER (WHERE status = 'breached') AS breached,
                   count(*) FILTER (WHERE status = 'met' AND met_at <= due_at) AS met_on_time,
                   count(*) FILTER (WHERE status = 'met' AND met_at > due_at) AS met_late,
                   extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY met_at - starts_at) FILTER (WHERE status = 'met')) / 86400 AS median_days,
                   count(*) AS n
            FROM deadlines
            WHERE department = d.code AND closed_at >= ${start} AND closed_at < ${end}
          ) x
          WHERE x.n > 0 AND (${department}::text IS NULL OR d.code = ${department})`,
        // Working days from the start's day (not counted) to the day of the act: a running count of working days over
        // the days the period's acts span, looked up for both ends (weekends and the calendar's exceptions).
        db.$queryRaw<{ department: string; median_working_days: unknown }[]>`
          WITH met AS MATERIALIZED (
            SELECT d.code AS department,
                   (x.starts_at AT TIME ZONE 'Asia/Shanghai')::date AS s,
                   (x.met_at AT TIME ZONE 'Asia/Shanghai')::date AS m
            FROM (SELECT code FROM departments UNION SELECT ${department}::text WHERE ${department}::text IS NOT NULL) d
            CROSS JOIN LATERAL (
              SELECT starts_at, met_at FROM deadlines
              WHERE department = d.code AND closed_at >= ${start} AND closed_at < ${end} AND status = 'met'
            ) x
            WHERE ${department}::text IS NULL OR d.code = ${department}
          ), span AS (
            SELECT least(min(s), min(m)) AS lo, greatest(max(s), max(m)) AS hi FROM met
          ), cal AS (
            SELECT g.day::date AS day,
                   count(*) FILTER (WHERE CASE WHEN g.day::date = ANY(${days.weekendWorkdays}::date[]) THEN true
                                               WHEN g.day::date = ANY(${days.offWeekdays}::date[]) THEN false
                                               ELSE extract(isodow FROM g.day) < 6 END) OVER (ORDER BY g.day) AS n
            FROM span CROSS JOIN generate_series(span.lo, span.hi, interval '1 day') AS g(day)
          )
          SELECT met.department, percentile_cont(0.5) WITHIN GROUP (ORDER BY cm.n - cs.n) AS median_working_days
          FROM met JOIN cal cs ON cs.day = met.s JOIN cal cm ON cm.day = met.m
          GROUP BY met.department`,
      ]);
      const byDept = new Map<string, DeadlineSummaryItem>();
      const entry = (d: string) => {
        let e = byDept.get(d);
        if (!e) {
          e = {
            department: d,
            open: 0,
            dueSoon: 0,
            overdue: 0,
            breached: 0,
            metOnTime: 0,
            metLate: 0,
            medianDaysToAct: null,
            medianWorkingDaysToAct: null,
          };
          byDept.set(d, e);
        }
        return e;
      };
      for (const r of current)
        Object.assign(entry(r.department), {
          open: Number(r.open),
          dueSoon: Number(r.due_soon),
          overdue: Number(r.overdue),
        });
      for (const r of closed) {
        Object.assign(entry(r.department), {
          breached: Number(r.breached),
          metOnTime: Number(r.met_on_time),
          metLate: Number(r.met_late),
          medianDaysToAct: r.median_days === null ? null : Math.round(Number(r.median_days) * 100) / 100,
        });
      }
      for (const r of working) {
        entry(r.department).medianWorkingDaysToAct =
          r.median_working_days === null ? null : Math.round(Number(r.median_working_days) * 100) / 100;
      }
      return {
        from: q.from,
        to: q.to,
        dueSoonCutoff: cutoff,
        items: [...byDept.values()].sort((a, b) => a.department.localeCompare(b.department)),
      };
    },
  );

  // The escalations the deadlines raise, and what supervisors did about them.
  await escalationRoutes(app, deps);
};

/** A period of whole Shanghai days: [from 00:00, to + 1 00:00). */
function periodStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}
function periodEnd(day: string): Date {
  return new Date(periodStart(day).getTime() + 86_400_000);
}

function minDate(a: Date | string | undefined, b: Date): Date {
  if (!a) return b;
  const d = new Date(a);
  return d < b ? d : b;
}
