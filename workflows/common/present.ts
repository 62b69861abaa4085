/**
 * A value the procedure's own rules guarantee where it is read (the decision being served, the window that
 * reopened). Its absence is a bug in the workflow, not a refusal: like a failed property access it fails the
 * workflow task, which Temporal retries once the code is fixed.
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new TypeError(`${what} is missing`);
  return value;
}
