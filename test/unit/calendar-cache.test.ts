import { StatutoryCalendar, builtInSchedules, type YearSchedule } from '../../domain/calendar';
import { cachedCalendar } from '../../activities/calendar';

/*
 * The calendar the activities keep in their process (activities/calendar.ts): read once, read again when it is old or
 * when a workflow names a year's version it does not hold. The reads are counted on a stand-in for Postgres.
 */
const [y2025, y2026] = builtInSchedules().filter((s) => s.year <= 2026) as [YearSchedule, YearSchedule];
const corrected2026: YearSchedule = { ...y2026, version: `${y2026.version}-corrected` };

function source(initial: YearSchedule[]) {
  const db = { schedules: initial, reads: 0 };
  const load = () => {
    db.reads += 1;
    return Promise.resolve(new StatutoryCalendar(db.schedules));
  };
  let clock = 0;
  const tick = (ms: number) => {
    clock += ms;
  };
  return { db, tick, calendar: cachedCalendar(load, { maxAgeMs: 1_000, now: () => clock }) };
}

test('a computation within the age reads nothing; one after it reads again', async () => {
  const { db, tick, calendar } = source([y2025, y2026]);
  const first = await calendar();
  expect(db.reads).toBe(1);
  tick(999);
  expect(await calendar()).toBe(first);
  expect(db.reads).toBe(1);
  tick(1);
  await calendar();
  expect(db.reads).toBe(2);
});

test('a version a workflow was told of is read at once, however young the calendar kept', async () => {
  const { db, calendar } = source([y2025, y2026]);
  await calendar();
  db.schedules = [y2025, corrected2026];
  const c = await calendar([{ year: 2026, version: corrected2026.version }]);
  expect(db.reads).toBe(2);
  expect(c.versionFor([2026])).toBe(corrected2026.version);
  // The calendar read for it serves the computations after it.
  expect(await calendar([{ year: 2026, version: corrected2026.version }])).toBe(c);
  expect(db.reads).toBe(2);
});

test('a year loaded since the last read is read when a workflow names it', async () => {
  const { db, calendar } = source([y2025]);
  expect((await calendar()).hasYear(2026)).toBe(false);
  db.schedules = [y2025, y2026];
  expect((await calendar([{ year: 2026, version: y2026.version }])).hasYear(2026)).toBe(true);
});

test('a year the projection saw arrive is read at once when a workflow names it without its version', async () => {
  const { db, calendar } = source([y2025]);
  await calendar();
  db.schedules = [y2025, y2026];
  expect((await calendar([{ year: 2026 }])).hasYear(2026)).toBe(true);
  expect(db.reads).toBe(2);
});

test('computations that find the calendar old at the same moment share one read', async () => {
  const { db, calendar } = source([y2025, y2026]);
  await Promise.all([calendar(), calendar(), calendar()]);
  expect(db.reads).toBe(1);
});
