/**
 * The workflows' modules are preloaded and shared by every workflow of a worker (scripts/build-workflows.ts), so the
 * bundle refuses a workflow source that keeps state at its top level (`moduleStateIn`).
 */
import { moduleStateIn } from '../../scripts/lib/module-state';

it('finds a top-level variable, exported or not', () => {
  const source = [
    "import { patched } from '@temporalio/workflow';",
    '',
    '/** Whether this case began with every patch. */',
    'let begunPatched: boolean | undefined;',
    'export let count = 0;',
    'var legacy = 1;',
  ].join('\n');
  expect(moduleStateIn(source)).toEqual(['4: let begunPatched: boolean | undefined;', '5: export let count = 0;', '6: var legacy = 1;']);
});

it('finds a top-level collection, whose contents a deep freeze leaves writable', () => {
  const source = [
    'const seen = new Set<string>();',
    'export const byRun: Map<string, number> = new Map();',
    'const refs = new WeakMap<object, string>();',
  ].join('\n');
  expect(moduleStateIn(source)).toHaveLength(3);
});

it('leaves constants, functions and what a function holds alone', () => {
  const source = [
    "export const CODE = 'code-of-2026-12-v1';",
    'const TITLES = { opened: "已立案" } as const;',
    'export function casePatches(input: { code?: string }) {',
    '  let begun = input.code === CODE;',
    '  const asked = new Map<string, boolean>();',
    '  return { isPatched: (id: string) => begun || asked.has(id) };',
    '}',
    ' * let in a comment',
    '// let in a comment',
  ].join('\n');
  expect(moduleStateIn(source)).toEqual([]);
});
