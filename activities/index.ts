import type { Db } from '../db/client';
import { caseRecordActivities } from './case-records';

export interface ActivityDeps {
  db: Db;
}

/** Builds every activity with its dependencies, as Temporal's samples do, so tests can pass their own. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...caseRecordActivities(deps.db),
  };
}

export type Activities = ReturnType<typeof createActivities>;
