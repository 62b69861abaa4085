import { readFileSync } from 'node:fs';
import { testEnv } from '../support/test-env';

/**
 * The bundle the workers run (scripts/build-workflows.ts) preloads the workflows: a workflow thread evaluates them, and
 * everything they import, once when its V8 context is made, and every workflow it runs shares them. Without it each
 * workflow evaluates them again and keeps its own copy while cached (a cached case held about 30 % more, issue 23).
 */
it('preloads the workflows, so a workflow thread evaluates their modules once', () => {
  const code = readFileSync(testEnv().workflowBundlePath, 'utf8');
  const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
  expect(preload).toContain('"./workflows/index.ts"');
  // The SDK imports the same module for each workflow: with it preloaded, that import finds the shared one.
  expect(code).toMatch(
    /exports\.importWorkflows = function importWorkflows\(\) \{\s*return __webpack_require__\([^)]*"\.\/workflows\/index\.ts"\)/,
  );
});
