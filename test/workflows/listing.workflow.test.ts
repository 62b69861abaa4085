import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, Runtime, DefaultLogger } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createActivities } from '../../activities';
import { createDb, type Db } from '../../db/client';
import { actUpdate, getCaseQuery, type ListingInput } from '../../workflows/listing/definitions';
import { listingWorkflow } from '../../workflows/listing/workflow';
import { testEnv } from '../support/test-env';
import { randomUscc, randomResidentId } from '../support/fixtures';
import { defaultPolicy } from '../../domain/calendar';

/** Workflow tests on Temporal's time-skipping test server, with the real activities on the real database. */
let env: TestWorkflowEnvironment;
let db: Db;
beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testEnv().timeSkippingServerPath } },
  });
  db = createDb(testEnv().databaseUrl, { poolSize: 3 });
}, 120_000);
afterAll(async () => {
  await env?.teardown();
  await db?.$disconnect();
});

function input(caseId: string): ListingInput {
  return {
    caseId,
    subject: { kind: 'legal_person', id: randomUscc(), name: '张掖市某某建材有限公司' },
    category: 'market_order',
    facts: '拒不履行生效判决确定的义务。',
    basisDocuments: [{ title: '判决书', number: '(2026)甘07民初1号', issuedOn: '2026-01-05' }],
    proposedMeasures: ['N-01'],
    responsiblePersons: [{ role: 'legal_representative', name: '赵某', idNumber: randomResidentId() }],
    listingPeriod: { years: 3 },
    department: 'ZY-SAMR',
    openedBy: { id: 'officer-1', role: 'officer', department: 'ZY-SAMR' },
    openedAt: '2026-11-02T09:00:00+08:00',
    policy: defaultPolicy(),
  };
}

async function withWorker<T>(fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `wf-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: testEnv().workflowBundlePath },
    activities: createActivities({ db }),
  });
  return worker.runUntil(fn(taskQueue));
}

it('opens in state opened, records the case, and refuses an action it does not allow with the reason', async () => {
  const caseId = `LST-20261102-${randomUUID().slice(0, 10).toUpperCase().replace(/-/g, '0')}`;
  await withWorker(async (taskQueue) => {
    const handle = await env.client.workflow.start(listingWorkflow, { taskQueue, workflowId: caseId, args: [input(caseId)] });
    const view = await handle.query(getCaseQuery);
    expect(view).toMatchObject({ id: caseId, state: 'opened', closed: false, allowedActions: [] });

    const until = Date.now() + 15_000;
    while (!(await db.case.findUnique({ where: { id: caseId } })) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await db.case.findUnique({ where: { id: caseId } })).toMatchObject({ state: 'opened', version: 1 });

    const refused = handle.executeUpdate(actUpdate, {
      args: [{ action: 'approve_decision', actor: { id: 's', role: 'supervisor' }, body: {}, receivedAt: '2026-11-02T10:00:00+08:00' }],
    });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({ cause: { message: 'action approve_decision is not allowed while the case is opened' } });

    // A case waits for years: skipping a year of time leaves it open and its history small.
    await env.sleep('365 days');
    expect((await handle.query(getCaseQuery)).state).toBe('opened');
    const history = await handle.fetchHistory();
    expect(history.events?.length ?? 0).toBeLessThan(30);

    if (process.env.RECORD_HISTORIES === '1') {
      const dir = join(__dirname, 'histories');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'listing-opened.binpb'), temporal.api.history.v1.History.encode(history).finish());
    }
  });
});
