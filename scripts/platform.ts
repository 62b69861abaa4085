/**
 * The reference platform (exchange/reference-platform.ts) on its own: `npm run platform [-- --port 4010 --secret …
 * --data .data/platform/entries.jsonl]`, or PLATFORM_PORT (else PORT), EXCHANGE_SECRET and PLATFORM_DATA_FILE from the environment.
 * Prints its URL on stdout (`platform listening on <url>`); point EXCHANGE_URL at it.
 */
import { join } from 'node:path';
import { dataDir } from './lib/paths';
import { startReferencePlatform } from '../exchange/reference-platform';

function argOf(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(argOf('port') ?? process.env.PLATFORM_PORT ?? process.env.PORT ?? 4010);
  const secret = argOf('secret') ?? process.env.EXCHANGE_SECRET;
  const dataFile = argOf('data') ?? process.env.PLATFORM_DATA_FILE ?? join(dataDir(), 'platform', 'entries.jsonl');
  const platform = await startReferencePlatform({ port, secret, dataFile });
  console.log(`platform listening on ${platform.url}`);
  console.error(`platform: entries kept in ${dataFile}; ${secret ? 'signatures verified' : 'NO secret: signatures not verified'}`);
  const stop = () => {
    void platform.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
