/**
 * The code a case began on, as its starter says in the workflow's input (workflows/common/patches.ts). Kept apart from
 * the workflow's own modules so the API, which starts cases, can name it.
 */
export const CODE_OF_2026_12_PATCH = 'code-of-2026-12-v1';

/** Part of every procedure's input: set by a starter that runs with workers of this code or later (the API). */
export interface CodeOfCase {
  /**
   * CODE_OF_2026_12_PATCH when the case begins on workers that have every patch it stands for. Workers are released
   * before the API (README "Production topology"), so an API that sets it starts cases only on such workers.
   */
  code?: string;
}
