import { condition } from '@temporalio/workflow';

/**
 * One action at a time: Update handlers may interleave at their awaits, so each takes the case whole and
 * every check it made still holds when it acts.
 */
export function mutex(): { run<T>(fn: () => Promise<T>): Promise<T>; readonly busy: boolean } {
  let busy = false;
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      await condition(() => !busy);
      busy = true;
      try {
        return await fn();
      } finally {
        busy = false;
      }
    },
    get busy() {
      return busy;
    },
  };
}
