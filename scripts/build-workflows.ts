/**
 * The workflow bundle, built once (`npm run build:workflows`, run by postinstall) instead of at every worker's start.
 *
 * Why: bundling workflows/ with webpack took most of a worker's 5–6 s start-up (issue 23), so a worker that replaces a
 * dead one left its cases waiting. The bundle is written to .data/workflow-bundle/ with a manifest naming every source
 * file webpack took in (outside node_modules), their SHA-256 and the SDK's version. A worker uses the bundle only while
 * that hash still matches the files on disk; otherwise it bundles at start-up and says so (a stale bundle would run
 * code that is not the code in the tree, and a replay would diverge).
 *
 * The workflows' modules are preloaded (the SDK's `preloadModules`): a workflow thread evaluates them once, when its V8
 * context is made, and every workflow it runs shares them, instead of evaluating all of them again for each workflow
 * it starts or replays. Measured here (issue 23): a cached case's memory in the worker 0.34-0.35 → 0.26-0.27 MiB.
 * Shared modules are deep-frozen by the SDK, and a module-level variable would be every workflow's at once, so a
 * workflow source keeps no state at its top level (`moduleStateIn`, checked as it is bundled): a case's state lives in
 * its workflow function and the objects it makes (workflows/common/patches.ts `casePatches`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { dataDir, errorText, log, projectRoot } from './lib/paths';
import { moduleStateIn } from './lib/module-state';

const SCOPE = 'build:workflows';

interface BundleManifest {
  /** SHA-256 over the SDK version and every source file's path and content. */
  hash: string;
  sdk: string;
  /** Project files in the bundle, relative to the project root. */
  files: string[];
  bytes: number;
  builtAt: string;
  buildMs: number;
}

export interface WorkflowBundle {
  codePath: string;
  /** `pre-built`: the bundle on disk matched the sources; `built`: it was (re)built now. */
  how: 'pre-built' | 'built';
  bytes: number;
  files: number;
}

const workflowsPath = (): string => resolve(projectRoot(), 'workflows');
/** How the bundle is made, beyond its sources: part of the manifest's hash, so a bundle made otherwise is made again. */
const BUNDLE_SHAPE = 'preload-workflows-v1';
const bundleDir = (): string => join(dataDir(), 'workflow-bundle');
const manifestPath = (): string => join(bundleDir(), 'manifest.json');
const codePath = (): string => join(bundleDir(), 'workflows.js');

function sdkVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('@temporalio/workflow/package.json'), 'utf8')) as { version: string }).version;
}

/** The hash of the bundle's inputs as they are on disk now; null when one of them is gone. */
function sourcesHash(files: readonly string[], sdk: string): string | null {
  const h = createHash('sha256').update(`sdk ${sdk}\n${BUNDLE_SHAPE}\n`);
  for (const f of [...files].sort()) {
    const abs = resolve(projectRoot(), f);
    if (!existsSync(abs)) return null;
    h.update(`${f}\n`).update(readFileSync(abs)).update('\n');
  }
  return h.digest('hex');
}

function readManifest(): BundleManifest | null {
  try {
    return JSON.parse(readFileSync(manifestPath(), 'utf8')) as BundleManifest;
  } catch {
    return null;
  }
}

/** The pre-built bundle when it matches the sources on disk, else null (and why, for the log). */
export function prebuiltWorkflowBundle(): { bundle: WorkflowBundle | null; why: string } {
  const m = readManifest();
  if (!m) return { bundle: null, why: 'no pre-built bundle' };
  if (!existsSync(codePath())) return { bundle: null, why: 'the pre-built bundle is missing' };
  const now = sourcesHash(m.files, sdkVersion());
  if (now !== m.hash) return { bundle: null, why: 'the workflow sources changed since the bundle was built' };
  return { bundle: { codePath: codePath(), how: 'pre-built', bytes: m.bytes, files: m.files.length }, why: 'matches the sources' };
}

/**
 * Modules the workflow bundle must not take in: the workflow receives the policy it needs, and the API has validated
 * what it sends (issue 23 measured zod's schema construction and the policy table at a quarter of a workflow thread,
 * when every workflow evaluated its modules again).
 */
const KEPT_OUT = [/\/node_modules\/zod\//, /\/domain\/calendar\/policy\.ts$/];

const quiet = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => {
    log(SCOPE, message);
  },
  error: (message: string) => {
    log(SCOPE, message);
  },
};

/** Bundles workflows/ and writes the bundle and its manifest (atomically: a reader sees the old pair or the new). */
export async function buildWorkflowBundle(): Promise<WorkflowBundle> {
  const t0 = Date.now();
  const resources = new Set<string>();
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsPath(),
    // Everything the workflows import, evaluated once per workflow thread (see the top of this file).
    preloadModules: [workflowsPath()],
    logger: quiet,
    // Records which files webpack took in: the manifest's hash covers exactly those.
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        {
          apply(compiler) {
            compiler.hooks.done.tap('record-workflow-sources', (stats) => {
              for (const m of stats.compilation.modules) {
                const r = (m as { resource?: string }).resource;
                if (r) resources.add(r);
              }
            });
          },
        },
      ],
    }),
  });
  const intruders = [...resources].filter((r) => KEPT_OUT.some((re) => re.test(r.split('?')[0] ?? r)));
  if (intruders.length)
    throw new Error(
      `the workflow bundle takes in ${[...new Set(intruders.map((r) => relative(projectRoot(), r)))].slice(0, 5).join(', ')}: ` +
        'import it as a type only, or move what the workflows need to a module of its own (domain/calendar/period-of.ts)',
    );
  const root = projectRoot();
  const files = [...resources]
    .map((r) => relative(root, r.split('?')[0] ?? r))
    // Real files only: the SDK's generated entry point lives in webpack's memory and depends on the SDK alone.
    .filter((f) => !f.startsWith('..') && !f.split('/').includes('node_modules') && existsSync(join(root, f)))
    // The libraries in the bundle (zod, the SDK's workflow runtime) change only with the lock file.
    .concat(existsSync(join(root, 'package-lock.json')) ? ['package-lock.json'] : [])
    .sort();
  const stateful = files
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => moduleStateIn(readFileSync(join(root, f), 'utf8')).map((d) => `${f}:${d}`));
  if (stateful.length)
    throw new Error(
      `a workflow module would share its state with every workflow of a worker (the modules are preloaded): ${stateful.slice(0, 5).join('; ')}. ` +
        "Keep a case's state in its workflow function or the objects it makes (workflows/common/patches.ts casePatches)",
    );
  const sdk = sdkVersion();
  const hash = sourcesHash(files, sdk);
  if (!hash)
    throw new Error(`a workflow source went away while bundling: ${files.filter((f) => !existsSync(resolve(root, f))).join(', ')}`);
  mkdirSync(bundleDir(), { recursive: true });
  const manifest: BundleManifest = {
    hash,
    sdk,
    files,
    bytes: Buffer.byteLength(code),
    builtAt: new Date().toISOString(),
    buildMs: Date.now() - t0,
  };
  const tmp = `.${process.pid}.tmp`;
  writeFileSync(codePath() + tmp, code);
  writeFileSync(manifestPath() + tmp, JSON.stringify(manifest, null, 2));
  // The code first: a manifest never names a hash whose code is not yet in place.
  renameSync(codePath() + tmp, codePath());
  renameSync(manifestPath() + tmp, manifestPath());
  return { codePath: codePath(), how: 'built', bytes: manifest.bytes, files: files.length };
}

/** The pre-built bundle when it matches, else one built now (and kept for the next start). */
export async function workflowBundle(opts: { onRebuild?: (why: string) => void } = {}): Promise<WorkflowBundle> {
  const { bundle, why } = prebuiltWorkflowBundle();
  if (bundle) return bundle;
  opts.onRebuild?.(why);
  return buildWorkflowBundle();
}

if (require.main === module) {
  buildWorkflowBundle().then(
    (b) => {
      log(SCOPE, `${relative(projectRoot(), b.codePath)}: ${(b.bytes / 1024).toFixed(0)} KiB from ${b.files} project files`);
    },
    (err: unknown) => {
      log(SCOPE, errorText(err));
      process.exit(1);
    },
  );
}
