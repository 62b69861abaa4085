/**
 * The console's assets, all served by the app: its stylesheet, htmx from npm, and its one script, bundled at start
 * from TypeScript that shares the API's own checks (domain/identity-checks.ts), so the browser and the server never
 * disagree about a checksum.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

export interface Asset {
  type: string;
  body: Buffer | string;
}

const load: Record<string, () => Asset> = {
  'console.css': () => ({
    type: 'text/css; charset=utf-8',
    body: readFileSync(join(__dirname, 'assets', 'console.css')),
  }),
  'htmx.min.js': () => ({
    type: 'text/javascript; charset=utf-8',
    body: readFileSync(require.resolve('htmx.org/dist/htmx.min.js')),
  }),
  'console.js': () => {
    const out = buildSync({
      entryPoints: [join(__dirname, 'client', 'console.ts')],
      bundle: true,
      format: 'iife',
      target: 'es2019',
      minify: true,
      write: false,
      legalComments: 'none',
    });
    const [file] = out.outputFiles;
    if (!file) throw new Error('esbuild wrote no console script');
    return { type: 'text/javascript; charset=utf-8', body: Buffer.from(file.contents) };
  },
};
const loaded = new Map<string, Asset>();

/** The asset of that name, built or read once. */
export function assetOf(name: string): Asset | null {
  const make = Object.hasOwn(load, name) ? load[name] : undefined;
  if (!make) return null;
  let a = loaded.get(name);
  if (!a) loaded.set(name, (a = make()));
  return a;
}
