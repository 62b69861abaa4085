import { patched } from '@temporalio/workflow';
import { CODE_OF_2026_12_PATCH } from './code-of-case';

export { CODE_OF_2026_12_PATCH };

/*
 * The patches of a case begun on today's code, taken as one (issue 23). Every `patched()` a running case meets for the
 * first time records a marker and upserts the `TemporalChangeVersion` search attribute: two history events and a
 * visibility write on the server per patch (a served notice met two). A case begun on code that has every patch below
 * takes every patched branch, so it needs no marker for any of them:
 * - a case its starter says began on this code (`input.code`, set by the API) records none at all;
 * - any other case asks CODE_OF_2026_12_PATCH once, at its opening: a new one records that one marker; one begun
 *   earlier has none, its first activation (replayed) says so, and it asks each patch on its own as it did.
 * Deciding at the first activation matters: asked later on a case begun before, `patched()` would answer true in a new
 * activation.
 */

/**
 * The patches of one case: what `patched` answers for it, decided at its first activation. Held by the case (its
 * journal) rather than in a module variable: the workflows' modules are loaded once and shared by every workflow of a
 * worker (scripts/build-workflows.ts preloads them), so a module variable would be every case's at once.
 */
export interface CasePatches {
  /** `patched(id)` for a patch older than CODE_OF_2026_12_PATCH: true at once for a case begun with all of them. */
  isPatched(id: string): boolean;
}

/**
 * The patches of the case `input` opens, asked first thing in a procedure's workflow function, in its first activation,
 * before any other patch. A patch added after CODE_OF_2026_12_PATCH must not be asked through `isPatched`: a case begun
 * before it would take it unasked.
 */
export function casePatches(input: { code?: string }): CasePatches {
  const begunPatched = input.code === CODE_OF_2026_12_PATCH || patched(CODE_OF_2026_12_PATCH);
  return { isPatched: (id) => begunPatched || patched(id) };
}

/** For a workflow that is not a case (the calendar watch) and for tests: every patch asked on its own. */
export const EACH_PATCH_ASKED: CasePatches = { isPatched: (id) => patched(id) };
