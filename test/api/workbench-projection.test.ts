/**
 * The workbench's columns on the case row (whose turn it is, the authority's nearest deadline, the subject's open
 * window) follow the case as the projection records it, against Postgres: a met deadline moves the next one up, a
 * breached one stays while nothing runs, a case waiting on the subject says so, a recomputed deadline (after a
 * calendar load) moves the column, a forwarded objection goes to the supplying department's desk, a closed case
 * leaves it. After every event the columns agree with the deadline registry as the workbench used to read it. And the
 * projection writes only the deadlines that changed: unchanged rows keep their row version, a retried event writes
 * nothing, an older one never overwrites a newer; it finds each deadline by its key, however many the registry holds.
 */
import { randomUUID } from 'node:crypto';
import { caseRecordActivities, writeCaseChange } from '../../activities/case-records';
import { workbench } from '../../api/workbench';
import { createDb, sqlOf, type Db, type SqlTx } from '../../db/client';
import { addDays } from '../../domain/calendar/dates';
import type { CaseEvent, CaseSnapshot, DeadlineState } from '../../workflows/common/case-types';
import { randomUscc } from '../support/fixtures';
import { shanghaiToday } from '../support/test-calendar';
import { testEnv } from '../support/test-env';
import { ifStarted } from '../support/teardown';

let db: Db;
beforeAll(() => {
  db = createDb(testEnv().databaseUrl, { poolSize: 3 });
});
afterAll(async () => {
  await ifStarted(db)?.$disconnect();
});

const record = (e: CaseEvent) => caseRecordActivities(db).recordCaseEvent(e);

/** A department of this test alone, so its workbench holds only this test's cases. */
const departmentOf = () => `ZY-WB-${randomUUID().slice(0, 8)}`;

function deadline(
  caseId: string,
  kind: string,
  opts: { party?: 'authority' | 'subject'; status?: DeadlineState['status']; inDays: number; provisional?: boolean },
): DeadlineState {
  const dueDate = shanghaiToday(opts.inDays);
  return {
    id: `${caseId}:${kind}`,
    caseId,
    kind,
    party: opts.party ?? 'authority',
    status: opts.status ?? 'open',
    from: shanghaiToday(-1),
    period: { unit: 'days', amount: opts.inDays + 1 },
    startsAt: new Date().toISOString(),
    basis: 'test',
    extended: false,
    dueDate,
    dueAt: `${addDays(dueDate, 1)}T00:00:00+08:00`,
    calendarVersion: opts.provisional ? '2099-statutory-provisional' : 'test-official',
    provisional: opts.provisional ?? false,
    explanation: [`ends ${dueDate}`],
    inputs: {},
  };
}

/** The case as the workflow records it at `version`. */
function eventOf(
  base: Pick<CaseSnapshot, 'id' | 'department'> & Partial<CaseSnapshot>,
  version: number,
  deadlines: DeadlineState[],
): CaseEvent {
  const at = new Date(Date.now() - 60_000 + version * 1000).toISOString();
  return {
    snapshot: {
      procedure: 'listing',
      state: 'opened',
      closed: false,
      outcome: null,
      subject: { kind: 'legal_person', id: randomUscc(), name: '张掖市工作台测试有限公司' },
      createdBy: 'officer-wb-1',
      details: {},
      allowedActions: [],
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      ...base,
      deadlines,
      version,
      updatedAt: at,
    },
    timeline: { seq: version, at, actor: 'officer-wb-1', role: 'officer', action: 'test_step', detail: {} },
    audit: { action: 'case.test_step', detail: {} },
  };
}

const page = async (department: string, query: { due?: 'all' | 'overdue' | 'today' | 'week' | 'none' } = {}) =>
  workbench(db, { department, limit: 50, offset: 0, ...query }, new Date(), shanghaiToday());

/** The case's columns and what the workbench read from the deadline registry before there were columns. */
async function columnsAndRegistry(id: string) {
  const [row] = await db.$queryRaw<
    {
      acting: string;
      next_id: string | null;
      waiting_id: string | null;
      reg_acting: string;
      reg_next: string | null;
      reg_waiting: string | null;
    }[]
  >`
    SELECT c.acting_department AS acting, c.next_deadline_id AS next_id, c.waiting_deadline_id AS waiting_id,
           CASE WHEN (c.procedure = 'objection' AND c.state = 'forwarded') OR (c.procedure = 'repair' AND c.state = 'under_review')
                THEN COALESCE(c.details->>'decidingDepartment', c.department) ELSE c.department END AS reg_acting,
           d.id AS reg_next, s.id AS reg_waiting
      FROM cases c
      LEFT JOIN LATERAL (SELECT id FROM deadlines WHERE case_id = c.id AND status IN ('open', 'breached') AND party = 'authority'
                          ORDER BY (status = 'open') DESC, due_at, id LIMIT 1) d ON true
      LEFT JOIN LATERAL (SELECT id FROM deadlines WHERE d.id IS NULL AND case_id = c.id AND status = 'open' AND party = 'subject'
                          ORDER BY due_at, id LIMIT 1) s ON true
     WHERE c.id = ${id}`;
  return row!;
}

async function expectAgreement(id: string) {
  const r = await columnsAndRegistry(id);
  expect({ acting: r.acting, next: r.next_id, waiting: r.waiting_id }).toEqual({
    acting: r.reg_acting,
    next: r.reg_next,
    waiting: r.reg_waiting,
  });
  return r;
}

const rowVersions = async (caseId: string) =>
  Object.fromEntries(
    (await db.$queryRaw<{ id: string; xmin: string }[]>`SELECT id, xmin::text AS xmin FROM deadlines WHERE case_id = ${caseId}`).map(
      (r) => [r.id, r.xmin],
    ),
  );

it('moves the next deadline up when one is met, keeps a breached one while nothing runs, shows the subject’s window, and drops a closed case', async () => {
  const department = departmentOf();
  const id = `LST-WB-${randomUUID().slice(0, 8)}`;
  const base = { id, department };
  const near = deadline(id, 'near_step', { inDays: 3 });
  const far = deadline(id, 'far_step', { inDays: 20 });
  const window = deadline(id, 'statement_window', { party: 'subject', inDays: 5 });

  await record(eventOf(base, 1, [far, near, window]));
  let r = await expectAgreement(id);
  expect(r).toMatchObject({ acting: department, next_id: near.id, waiting_id: null });
  let wb = await page(department);
  expect(wb.total).toBe(1);
  expect(wb.items[0]).toMatchObject({
    id,
    actingDepartment: department,
    nextDeadline: { kind: 'near_step', dueDate: near.dueDate, overdue: false },
  });
  expect(wb.items[0]).not.toHaveProperty('waitingOnSubject');

  // The near step is met: the far one is next, and the week's filter no longer finds the case.
  await record(eventOf(base, 2, [far, { ...near, status: 'met', metAt: new Date().toISOString() }, window]));
  r = await expectAgreement(id);
  expect(r.next_id).toBe(far.id);
  wb = await page(department);
  expect(wb.items[0]!.nextDeadline).toMatchObject({ kind: 'far_step', dueDate: far.dueDate });
  expect((await page(department, { due: 'week' })).total).toBe(0);
  expect((await page(department, { due: 'all' })).total).toBe(1);

  // The far step passes unmet while nothing else of the authority runs: the breached one stays on the desk, overdue.
  const breached = { ...far, status: 'breached' as const, dueDate: shanghaiToday(-2), dueAt: `${shanghaiToday(-1)}T00:00:00+08:00` };
  await record(eventOf(base, 3, [breached, { ...near, status: 'met', metAt: new Date().toISOString() }, window]));
  expect((await expectAgreement(id)).next_id).toBe(far.id);
  expect((await page(department, { due: 'overdue' })).items.map((i) => i.id)).toEqual([id]);

  // The breach is cured: no authority deadline, the subject's window is what the case waits on.
  await record(eventOf(base, 4, [{ ...breached, status: 'met' }, { ...near, status: 'met' }, window]));
  r = await expectAgreement(id);
  expect(r).toMatchObject({ next_id: null, waiting_id: window.id });
  wb = await page(department);
  expect(wb.items[0]).toMatchObject({ id, nextDeadline: null, waitingOnSubject: { kind: 'statement_window', dueDate: window.dueDate } });
  expect((await page(department, { due: 'none' })).items.map((i) => i.id)).toEqual([id]);

  // Closed: off the workbench.
  await record(
    eventOf({ ...base, state: 'dismissed', closed: true, outcome: 'dismissed' }, 5, [
      { ...breached, status: 'met' },
      { ...near, status: 'met' },
      { ...window, status: 'cancelled' },
    ]),
  );
  await expectAgreement(id);
  expect(await page(department)).toEqual({ items: [], total: 0 });
});

it('puts a forwarded objection on the deciding department’s desk with its deadline, and back on its own when it returns', async () => {
  const agency = departmentOf();
  const supplier = departmentOf();
  const id = `OBJ-WB-${randomUUID().slice(0, 8)}`;
  const base = { id, department: agency, procedure: 'objection' as const };
  const accept = deadline(id, 'objection_accept', { inDays: 2 });
  await record(eventOf({ ...base, state: 'submitted' }, 1, [accept]));
  expect((await page(agency)).items.map((i) => i.id)).toEqual([id]);

  const decide = deadline(id, 'objection_decide', { inDays: 10 });
  const forwarded = { ...base, state: 'forwarded', details: { decidingDepartment: supplier } };
  await record(
    eventOf(forwarded, 2, [
      { ...accept, status: 'met' },
      { ...decide, department: supplier },
    ]),
  );
  expect(await expectAgreement(id)).toMatchObject({ acting: supplier, next_id: decide.id });
  expect((await page(agency)).total).toBe(0);
  const desk = await page(supplier);
  expect(desk.items).toEqual([
    expect.objectContaining({
      id,
      department: agency,
      actingDepartment: supplier,
      nextDeadline: expect.objectContaining({ kind: 'objection_decide', dueDate: decide.dueDate }),
    }),
  ]);

  // Decided by the supplier, the agency answers the subject: its turn again.
  const reply = deadline(id, 'objection_reply', { inDays: 4 });
  await record(
    eventOf({ ...base, state: 'decided', details: { decidingDepartment: supplier } }, 3, [
      { ...accept, status: 'met' },
      { ...decide, department: supplier, status: 'met' },
      reply,
    ]),
  );
  expect(await expectAgreement(id)).toMatchObject({ acting: agency, next_id: reply.id });
  expect((await page(supplier)).total).toBe(0);
  expect((await page(agency)).items[0]!.nextDeadline).toMatchObject({ kind: 'objection_reply' });
});

it('moves the column when a deadline is recomputed after a calendar load, and orders the desk by it', async () => {
  const department = departmentOf();
  const first = `LST-WB-${randomUUID().slice(0, 8)}`;
  const second = `LST-WB-${randomUUID().slice(0, 8)}`;
  const a = deadline(first, 'decide', { inDays: 8, provisional: true });
  const b = deadline(second, 'decide', { inDays: 12 });
  await record(eventOf({ id: first, department }, 1, [a]));
  await record(eventOf({ id: second, department }, 1, [b]));
  expect((await page(department)).items.map((i) => i.id)).toEqual([first, second]);
  expect((await page(department)).items[0]!.nextDeadline).toMatchObject({ provisional: true });

  // The year's schedule arrives and the workflow records the recomputed period: four days later, no longer provisional.
  const moved = deadline(first, 'decide', { inDays: 16 });
  await record(eventOf({ id: first, department }, 2, [moved]));
  expect(await expectAgreement(first)).toMatchObject({ next_id: moved.id });
  const wb = await page(department);
  expect(wb.items.map((i) => i.id)).toEqual([second, first]);
  expect(wb.items[1]!.nextDeadline).toMatchObject({ dueDate: moved.dueDate, provisional: false });
  const [row] = await db.$queryRaw<{ next_due_at: Date }[]>`SELECT next_due_at FROM cases WHERE id = ${first}`;
  expect(row!.next_due_at.toISOString()).toBe(new Date(moved.dueAt).toISOString());
});

it('writes only the deadlines that changed, nothing on a retry, and never an older snapshot over a newer', async () => {
  const department = departmentOf();
  const id = `LST-WB-${randomUUID().slice(0, 8)}`;
  const base = { id, department };
  const one = deadline(id, 'one', { inDays: 3 });
  const two = deadline(id, 'two', { inDays: 6 });
  const three = deadline(id, 'three', { party: 'subject', inDays: 9 });
  await record(eventOf(base, 1, [one, two, three]));
  const v1 = await rowVersions(id);
  expect(Object.keys(v1).sort()).toEqual([one.id, three.id, two.id].sort());

  // Only `one` changes: the other two rows are not written (same row version), `one` is.
  const v2Event = eventOf(base, 2, [{ ...one, status: 'met', metAt: new Date().toISOString() }, two, three]);
  await record(v2Event);
  const v2 = await rowVersions(id);
  expect(v2[one.id]).not.toBe(v1[one.id]);
  expect(v2[two.id]).toBe(v1[two.id]);
  expect(v2[three.id]).toBe(v1[three.id]);

  // The same event again (an activity retried after its commit): nothing is written.
  const caseVersion = async () => (await db.$queryRaw<{ xmin: string }[]>`SELECT xmin::text AS xmin FROM cases WHERE id = ${id}`)[0]!.xmin;
  const before = await caseVersion();
  await record(v2Event);
  expect(await rowVersions(id)).toEqual(v2);
  expect(await caseVersion()).toBe(before);

  // The first event, late: the registry keeps the newer state of `one`, and the case its newer columns.
  await record(eventOf(base, 1, [one, two, three]));
  expect(await rowVersions(id)).toEqual(v2);
  const rows = await db.deadline.findMany({ where: { caseId: id }, orderBy: { id: 'asc' } });
  expect(rows.find((d) => d.id === one.id)).toMatchObject({ status: 'met', version: 2 });
  expect(rows.find((d) => d.id === two.id)).toMatchObject({ status: 'open', version: 1 });
  expect(await expectAgreement(id)).toMatchObject({ next_id: two.id });

  // A new deadline in a later event is inserted beside the unchanged ones.
  const four = deadline(id, 'four', { inDays: 1 });
  await record(eventOf(base, 3, [{ ...one, status: 'met', metAt: v2Event.snapshot.deadlines[0]!.metAt! }, two, three, four]));
  const v3 = await rowVersions(id);
  expect(v3[two.id]).toBe(v1[two.id]);
  expect(v3[four.id]).toBeDefined();
  expect(await expectAgreement(id)).toMatchObject({ next_id: four.id });
});

/** What `work` answers, its transaction rolled back: it may fill a table without other tests seeing the rows. */
async function rolledBack<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
  const undo = new Error('rolled back on purpose');
  let out: T | undefined;
  await sqlOf(db)
    .transaction(async (tx) => {
      out = await work(tx);
      throw undo;
    })
    .catch((err: unknown) => {
      if (err !== undo) throw err;
    });
  return out as T;
}

it('finds each deadline it writes by its key, not by reading the registry through, however many deadlines it holds', async () => {
  const department = departmentOf();
  const filler = `LST-WB-${randomUUID().slice(0, 8)}`;
  const id = `LST-WB-${randomUUID().slice(0, 8)}`;
  const seqScans = await rolledBack(async (tx) => {
    // The plan a prepared statement settles on: a generic one, which knows nothing of the rows the change brings.
    await tx.$executeRaw`SET LOCAL plan_cache_mode = force_generic_plan`;
    await writeCaseChange(tx, eventOf({ id: filler, department }, 1, []));
    await tx.$executeRaw`
      INSERT INTO deadlines (id, case_id, procedure, department, kind, party, status, starts_at, due_at, due_date,
                             calendar_version, provisional, basis, explanation, inputs, version, updated_at)
      SELECT ${filler} || ':k' || i, ${filler}, 'listing', ${department}, 'k' || i, 'authority', 'open', now(), now(),
             '2030-01-01', 'test-official', false, 'test', '[]'::jsonb, '{}'::jsonb, 1, now()
        FROM generate_series(1, 3000) AS i`;
    await writeCaseChange(tx, eventOf({ id, department }, 1, [deadline(id, 'one', { inDays: 3 }), deadline(id, 'two', { inDays: 6 })]));
    const [row] = await tx.$queryRaw<{ seq_scan: string }[]>`
      SELECT seq_scan::text FROM pg_stat_xact_user_tables WHERE relname = 'deadlines'`;
    return Number(row?.seq_scan);
  });
  // As a plain join it read the registry through (3,002 rows) for the case's two; now it costs the same at any caseload.
  expect(seqScans).toBe(0);
});
