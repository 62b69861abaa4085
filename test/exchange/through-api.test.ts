import { join } from 'node:path';
import { until } from '../support/until';
import { apiAs, settledCase, startSystem, subjectOf, type System } from '../support/system';
import { AGENCY_OFFICER, OFFICER, recordBody } from '../support/fixtures';
import { shanghaiToday } from '../support/test-calendar';
import { ifStarted } from '../support/teardown';
import {
  allDelivered,
  exchangeHarness,
  startPlatform,
  startExchangeWorker,
  type ExchangeHarness,
  type PlatformProcess,
  type WorkerProcess,
} from './support';

/** A real change through the API reaches the platform: a record supplied writes its outbox entry, which the delivery sends. */
const ROOT = join(__dirname, '..', '..');

jest.setTimeout(120_000);

let sys: System;
let h: ExchangeHarness;
let platform: PlatformProcess;
let worker: WorkerProcess;

beforeAll(async () => {
  // Its own worker takes the cases; the worker process takes the delivery, on the harness's task queue.
  sys = await startSystem();
  h = await exchangeHarness();
  await h.endWorkflows();
  platform = await startPlatform({ dataFile: join(ROOT, '.data', `platform-api-test-${process.pid}.jsonl`), fresh: true });
  worker = await startExchangeWorker({ taskQueue: h.taskQueue, exchangeUrl: platform.url });
});
afterAll(async () => {
  const started = [worker as WorkerProcess | undefined, platform as PlatformProcess | undefined];
  for (const p of started) await p?.kill();
  await (h as ExchangeHarness | undefined)?.close();
  await ifStarted(sys)?.stop();
});

it('delivers the entry a supplied record writes, once, with the record and its subject', async () => {
  const body = recordBody();
  const res = await apiAs(sys).post('/v1/records', OFFICER, body, `exchange-api-${body.subject.id}`);
  expect(res.statusCode).toBe(201);
  const recordId = res.json<{ id: string }>().id;
  const entry = await until('the outbox entry of the supplied record', () => h.db.exchangeEntry.findFirst({ where: { recordId } }), 10_000);
  expect(entry).toMatchObject({ kind: 'record_supplied', subjectId: body.subject.id });
  await h.wake();
  await allDelivered(h.db, [entry.id]);
  expect(platform.takenIds().filter((id) => id === entry.id)).toHaveLength(1);
  expect((await platform.entries()).find((e) => e.entryId === entry.id)).toMatchObject({
    kind: 'record_supplied',
    subjectId: body.subject.id,
  });
});

it('delivers a record’s life in order, once each: supplied, marked under objection, cleared, its publicity ended by a repair', async () => {
  const api = apiAs(sys);
  // A serious penalty decided 13 months ago: repairable (its one-year minimum has passed).
  const body = recordBody({ severity: 'serious', decidedOn: shanghaiToday(-395) });
  const supplied = await api.post('/v1/records', OFFICER, body);
  expect(supplied.statusCode).toBe(201);
  const recordId = supplied.json<{ id: string }>().id;
  const subject = subjectOf(body.subject.id);

  const objection = await api.post('/v1/cases', subject, {
    procedure: 'objection',
    recordId,
    grounds: 'error_or_omission',
    statement: '罚款金额记载错误。',
    evidence: [{ title: '缴款凭证', description: '五千元' }],
  });
  expect(objection.statusCode).toBe(201);
  const o = objection.json<{ id: string }>().id;
  await settledCase(sys, o, 'submitted');
  expect((await api.act(o, 'accept', AGENCY_OFFICER, {})).statusCode).toBe(200);
  expect((await api.act(o, 'forward', AGENCY_OFFICER, { department: 'ZY-SAMR' })).statusCode).toBe(200);
  expect((await api.act(o, 'decide', OFFICER, { outcome: 'keep', reasons: '信息准确' })).statusCode).toBe(200);
  await settledCase(sys, o, 'decided', true);

  const repair = await api.post('/v1/cases', subject, {
    procedure: 'repair',
    target: { recordId },
    statement: '已缴清罚款并完成整改。',
    evidence: [{ title: '缴款凭证', description: '罚款已缴清' }],
    commitment: { text: '本单位承诺依法诚信经营。', signedOn: shanghaiToday() },
  });
  expect(repair.statusCode).toBe(201);
  const r = repair.json<{ id: string }>().id;
  await settledCase(sys, r, 'submitted');
  expect((await api.act(r, 'accept', AGENCY_OFFICER, {})).statusCode).toBe(200);
  expect((await api.act(r, 'decide', OFFICER, { outcome: 'approve', reasons: '已履行义务' })).statusCode).toBe(200);
  await settledCase(sys, r, 'approved', true);

  const kinds = ['record_supplied', 'record_objection_marked', 'record_objection_cleared', 'record_publicity_ended'];
  const entries = await until(
    'the record’s four entries in the outbox',
    async () => {
      const rows = await h.db.exchangeEntry.findMany({ where: { recordId }, orderBy: { seq: 'asc' } });
      return rows.length >= kinds.length && rows;
    },
    20_000,
  );
  expect(entries.map((e) => e.kind)).toEqual(kinds);
  await h.wake();
  await allDelivered(
    h.db,
    entries.map((e) => e.id),
  );
  // At the platform: each once, in the order they happened; the repair's ending names what it ends.
  const held = (await platform.entries()).filter((e) => e.subjectId === body.subject.id);
  expect(held.map((e) => e.kind)).toEqual(kinds);
  for (const e of entries) expect(platform.takenIds().filter((id) => id === e.id)).toHaveLength(1);
  expect(held.at(-1)?.payload).toMatchObject({ supersedes: entries[0]?.id });
});
