import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { testEnv } from '../support/test-env';

/**
 * Replays histories recorded from earlier versions of the workflows. A change that would make a
 * running case fail on its next task (non-determinism) fails here first. Record new ones with
 * `RECORD_HISTORIES=1 npm test -- test/workflows` and commit them.
 */
const dir = join(__dirname, 'histories');
beforeAll(() => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
});
// Binary protobuf (temporal.api.history.v1.History), as `temporal workflow show --output` cannot write from the test server.
// Sub-folders keep histories of earlier shapes (before-local-activities: every step an ordinary activity).
const files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.binpb')).sort();

it('has recorded histories to replay', () => {
  expect(files.length).toBeGreaterThan(0);
});

it.each(files)('replays %s without non-determinism', async (file) => {
  const history = temporal.api.history.v1.History.decode(readFileSync(join(dir, file)));
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: testEnv().workflowBundlePath } },
    history,
    file.replace(/\.binpb$/, '').replace(/\//g, '-'),
  );
});
