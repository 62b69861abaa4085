import { z } from 'zod';
import {
  officialScheduleProblems,
  shanghaiDate,
  STATUTORY_FIRST_YEAR,
  STATUTORY_LAST_YEAR,
  validateSchedule,
  type StatutoryCalendar,
  type YearSchedule,
} from '../../domain/calendar';
import { CALENDAR_LOCK, loadCalendar, versionOf } from '../../db/calendar-store';
import { deadlinesMovedBy, type MovedDeadline } from '../../db/calendar-status';
import { appendAudit } from '../../db/audit';
import { asMovedDeadline, flagCutShortWindows, lapsedWindowsOf, type LapsedWindow } from '../../db/lapsed-windows';
import { isoDate } from '../schemas/common';
import { unprocessable } from '../problem';
import { calendarChangedSignal } from '../../workflows/common/definitions';
import { proposalKind, type SettingsContext } from './proposal-kind';

/** The body of `PUT /v1/calendar/years/{year}`. */
export const calendarYearBody = z.object({
  source: z.string().regex(/\S/, 'must not be blank').trim().min(1).max(500),
  holidays: z.array(isoDate).min(1).max(60),
  workdays: z.array(isoDate).max(30),
});

const payloadSchema = calendarYearBody.extend({
  year: z.number().int().min(STATUTORY_FIRST_YEAR).max(STATUTORY_LAST_YEAR),
});
export type CalendarYearPayload = z.infer<typeof payloadSchema>;

export function scheduleOf(p: CalendarYearPayload): YearSchedule {
  return {
    year: p.year,
    source: p.source,
    version: versionOf(p.year, p.holidays, p.workdays),
    holidays: [...new Set(p.holidays)].sort(),
    workdays: [...new Set(p.workdays)].sort(),
  };
}

/** @throws 422 when the schedule cannot be the State Council's notice: every deadline of the year would be wrong, as if official. */
export function checkSchedule(schedule: YearSchedule): void {
  const problems = [...validateSchedule(schedule), ...officialScheduleProblems(schedule)];
  if (problems.length) {
    throw unprocessable(
      {
        zh: `${schedule.year}年的节假日安排不可能是国务院办公厅的通知：${problems.map((m) => m.zh).join('；')}`,
        en: `the schedule for ${schedule.year} cannot be the State Council's notice: ${problems.map((m) => m.en).join('; ')}`,
      },
      problems.map((m) => ({ path: 'body', message: m })),
    );
  }
}

/** What `?dryRun=true` answers: the deadlines that loading the year would move. */
export async function calendarYearPreview(ctx: SettingsContext, p: CalendarYearPayload) {
  const schedule = scheduleOf(p);
  const next = (await loadCalendar(ctx.db)).withSchedule(schedule);
  const moved = await deadlinesMovedBy(ctx.db, p.year, next, shanghaiDate(ctx.now.toISOString()));
  const lapsed = await lapsedWindowsOf(ctx.db, p.year, next, ctx.now);
  return {
    dryRun: true as const,
    year: p.year,
    version: schedule.version,
    moved: [...moved, ...lapsed.map(asMovedDeadline)],
  };
}

interface Prepared {
  existing: { version: string; source: string; loadedAt: Date } | null;
  changed: boolean;
  moved: MovedDeadline[];
  /** Subjects' lapsed windows the official count ends later (db/lapsed-windows.ts), on the calendar with the year. */
  lapsed: LapsedWindow[];
  next: StatutoryCalendar;
}

/** Loading a year's holiday notice: provisional deadlines of running cases move to it (domain/calendar/recompute.ts). */
export const calendarYearKind = proposalKind<CalendarYearPayload>({
  kind: 'calendar_year',
  payload: payloadSchema,
  validate(_ctx, p) {
    // Nothing to read: the check is on the payload alone. A throw in the executor rejects the promise, as from an async function.
    return new Promise<void>((resolve) => {
      checkSchedule(scheduleOf(p));
      resolve();
    });
  },
  preview: calendarYearPreview,
  async prepare(ctx, p): Promise<Prepared> {
    const schedule = scheduleOf(p);
    const existing = await ctx.db.calendarYear.findUnique({ where: { year: p.year } });
    const changed = !existing || existing.version !== schedule.version || existing.source !== schedule.source;
    const next = (await loadCalendar(ctx.db)).withSchedule(schedule);
    const loadedOn = shanghaiDate((existing && !changed ? existing.loadedAt : ctx.now).toISOString());
    const lapsed = await lapsedWindowsOf(ctx.db, p.year, next, ctx.now);
    return {
      existing,
      changed,
      moved: [...(await deadlinesMovedBy(ctx.db, p.year, next, loadedOn)), ...lapsed.map(asMovedDeadline)],
      lapsed,
      next,
    };
  },
  async apply(tx, ctx, { payload, proposal, approver, prepared }) {
    const schedule = scheduleOf(payload);
    const { existing, changed, moved, lapsed, next } = prepared as Prepared;
    const year = payload.year;
    const now = ctx.now;
    if (changed) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CALENDAR_LOCK}::bigint)`;
      const row = {
        source: schedule.source,
        version: schedule.version,
        holidays: { dates: schedule.holidays },
        workdays: schedule.workdays,
        loadedAt: now,
        loadedBy: approver.sub,
      };
      await tx.calendarYear.upsert({ where: { year }, create: { year, ...row }, update: row });
      await appendAudit(tx, {
        actor: approver.sub,
        role: approver.role,
        action: 'calendar.year_loaded',
        target: `calendar:${year}`,
        detail: {
          year,
          version: schedule.version,
          previousVersion: existing?.version ?? null,
          source: schedule.source,
          moved: moved.length,
          proposalId: proposal.id,
          proposedBy: proposal.proposedBy,
          approvedBy: approver.sub,
        },
      });
    }
    const loadedAt = (changed || !existing ? now : existing.loadedAt).toISOString();
    const loadedBy =
      changed || !existing ? approver.sub : ((await tx.calendarYear.findUnique({ where: { year } }))?.loadedBy ?? approver.sub);
    const result = {
      dryRun: false,
      year,
      source: schedule.source,
      version: schedule.version,
      holidays: schedule.holidays,
      workdays: schedule.workdays,
      loadedAt,
      loadedBy,
      changed,
      moved,
    };
    return {
      result,
      // Every case whose open deadline is provisional, or was computed on an earlier version of this year, is told; so is
      // every case with a subject's lapsed window the official count ends later (it reopens it), and the supervisors are
      // told of those it cannot reopen (db/lapsed-windows.ts).
      after: async () => {
        const open = await ctx.db.$queryRaw<{ case_id: string }[]>`
          SELECT DISTINCT case_id FROM deadlines
          WHERE status IN ('open', 'suspended') AND (provisional OR calendar_version LIKE ${`%${year}-%`})`;
        await flagCutShortWindows(ctx.db, lapsed, next, now);
        const reopening = lapsed.filter((w) => w.rule === 'reopened').map((w) => w.caseId);
        const affected = [...new Set([...open.map((r) => r.case_id), ...reopening])].map((case_id) => ({ case_id }));
        await Promise.all(
          affected.map((r) =>
            ctx.temporal.workflow
              .getHandle(r.case_id)
              .signal(calendarChangedSignal, { year, version: schedule.version, loadedAt })
              .catch((err: unknown) => {
                ctx.log.warn({ caseId: r.case_id, err: (err as Error).message }, 'could not signal a case to recompute');
              }),
          ),
        );
        return { casesToRecompute: affected.length };
      },
    };
  },
});
