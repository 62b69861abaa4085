import { join } from 'node:path';
import { projectRoot } from './paths';

/**
 * The Node flags a worker process starts with: the preload that spares the workflow threads which capture no stack
 * frames the SDK's promise hook (workflow-threads.cjs). With no frames the hook still compiled a function and captured
 * an empty stack for every promise; without it the Temporal UI's stack-trace view says stack traces are not enabled on
 * the worker. `npm run start:worker` (package.json), `npm start`, the tests and the benchmarks start worker.ts with them.
 */
export const WORKER_NODE_FLAGS: readonly string[] = ['--require', join(projectRoot(), 'workflow-threads.cjs')];

/** Whether this process was started with WORKER_NODE_FLAGS (the preload marks its main thread). */
export function workflowThreadsPreloaded(): boolean {
  return (globalThis as Record<symbol, unknown>)[Symbol.for('credit-procedures.workflow-threads-preload')] === true;
}
