'use strict';
/**
 * Preloaded into the worker process (`node --require ./workflow-threads.cjs`, as `npm run start:worker` and `npm start`
 * run worker.ts; WORKER_NODE_FLAGS in scripts/lib/worker-flags.ts). Node runs a preload in every thread of a process: this one changes only
 * the SDK's workflow threads that capture no stack frames (WORKFLOW_STACK_FRAMES=0, the default), which worker.ts
 * creates with V8's stack-trace limit at 0.
 *
 * There the SDK's promise hook would still compile a function and capture an empty stack for every promise a workflow
 * makes, for the Temporal UI's stack-trace view (temporalio/sdk-typescript#1587): a fifth of the workflow thread's time
 * while cases open (issue 23). Refused the hook, the SDK turns stack traces off for the thread (it says so once on
 * stderr) and the stack-trace view answers that they are not enabled on this worker, instead of showing an empty stack.
 */
const { isMainThread } = require('node:worker_threads');
const v8 = require('node:v8');

if (isMainThread) {
  // worker.ts checks that it was started with this preload (workflowThreadsPreloaded, scripts/lib/worker-flags.ts).
  globalThis[Symbol.for('credit-procedures.workflow-threads-preload')] = true;
} else if (Error.stackTraceLimit === 0) {
  // The v8 module's exports get promise hooks of their own: Node's async_hooks keep the originals, and with them
  // AsyncLocalStorage, which the workflows' cancellation scopes use.
  v8.promiseHooks = {
    ...v8.promiseHooks,
    createHook() {
      throw new Error('no promise hook in a workflow thread that captures no stack frames (workflow-threads.cjs)');
    },
  };
}
