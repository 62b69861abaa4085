/**
 * A fixture that `beforeAll` assigns is unassigned when `beforeAll` failed, though its declared type says
 * otherwise: teardown widens it back, so `ifStarted(sys)?.stop()` stops only what was started.
 */
export function ifStarted<T>(fixture: T): T | undefined {
  return fixture;
}
