import { join } from 'node:path';
import { until } from '../support/until';
import { apiAs, startSystem, type System } from '../support/system';
import { OFFICER, recordBody } from '../support/fixtures';
import { ifStarted } from '../support/teardown';
import {
  allDelivered,
  exchangeHarness,
  startPlatform,
  startWorkerProcess,
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
  sys = await startSystem({ withoutWorker: true });
  h = await exchangeHarness();
  await h.endWorkflows();
  platform = await startPlatform({ dataFile: join(ROOT, '.data', `platform-api-test-${process.pid}.jsonl`), fresh: true });
  worker = await startWorkerProcess({ taskQueue: h.taskQueue, exchangeUrl: platform.url });
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
