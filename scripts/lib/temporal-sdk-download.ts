import { TestWorkflowEnvironment } from '@temporalio/testing';
import { log } from './paths';

/**
 * Last resort for `npm start` on a machine with neither a Temporal CLI nor Go: the SDK downloads the
 * CLI from Temporal's own host and runs its dev server. Works with the internet only; offline machines
 * get the SDK's error next to ours, which names what to install instead.
 */
export async function startDevServerBySdkDownload(opts: { port: number; uiPort: number; dbFile: string }): Promise<{
  address: string;
  uiUrl: string;
  reused: boolean;
  stop(): Promise<void>;
}> {
  log('temporal', 'no Temporal CLI and no Go: asking the SDK to download the dev server (needs the internet)');
  const env = await TestWorkflowEnvironment.createLocal({
    server: { ip: '127.0.0.1', port: opts.port, uiPort: opts.uiPort, dbFilename: opts.dbFile },
  });
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    reused: false,
    stop: () => env.teardown(),
  };
}
