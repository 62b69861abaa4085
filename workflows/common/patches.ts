import { patched } from '@temporalio/workflow';

/**
 * The patches of a case begun on today's code, taken as one (issue 23). Every `patched()` a running case meets for the
 * first time records a marker and upserts the `TemporalChangeVersion` search attribute: two history events and a
 * visibility write on the server per patch. A case begun on code that has every patch below takes every patched
 * branch, so it records one marker, at its opening, and none later (a served notice met two more before).
 *
 * A case begun earlier has no such marker: its first activation, replayed, says so, and each patch is asked on its
 * own as it was. Deciding at the first activation matters: asked later on a case begun before, `patched()` would
 * answer true in a new activation.
 */
export const CODE_OF_2026_12_PATCH = 'code-of-2026-12-v1';

/** Whether this case began with every patch of CODE_OF_2026_12_PATCH; undefined until its workflow function has asked. */
let begunPatched: boolean | undefined;

/**
 * Asked first thing in a procedure's workflow function, in its first activation, before any other patch. A patch added
 * after CODE_OF_2026_12_PATCH must not be asked through `isPatched`: a case begun before it would take it unasked.
 */
export function noteCodeOfCase(): void {
  begunPatched = patched(CODE_OF_2026_12_PATCH);
}

/** `patched(id)` for a patch older than CODE_OF_2026_12_PATCH: true at once for a case begun with all of them. */
export function isPatched(id: string): boolean {
  return begunPatched === true || patched(id);
}
