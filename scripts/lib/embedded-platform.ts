import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startReferencePlatform } from '../../exchange/reference-platform';
import { dataDir, log } from './paths';
import { tcpOpen } from './proc';

const PREFERRED_PORT = 4010;

/**
 * `npm start`'s exchange platform: the reference platform in the start process, its entries kept in
 * .data/platform/entries.jsonl, on port 4010 if free. Sets EXCHANGE_URL and a secret generated for this start in `env`,
 * which the API and the worker are started with.
 */
export async function startEmbeddedPlatform(env: NodeJS.ProcessEnv): Promise<{ url: string; stop(): Promise<void> }> {
  const secret = env.EXCHANGE_SECRET ?? randomBytes(24).toString('hex');
  const port = (await tcpOpen(PREFERRED_PORT)) ? 0 : PREFERRED_PORT;
  const platform = await startReferencePlatform({ port, secret, dataFile: join(dataDir(), 'platform', 'entries.jsonl') });
  env.EXCHANGE_URL = platform.url;
  env.EXCHANGE_SECRET = secret;
  log('start', `exchange: reference platform at ${platform.url}`);
  return { url: platform.url, stop: () => platform.close() };
}
