import { condition } from '@temporalio/workflow';

/**
 * One action at a time, first come first served: Update handlers may interleave at their awaits, so each
 * takes the case whole and every check it made still holds when it acts.
 *
 * A ticket lock: each caller takes the next number and waits until it is served. The earlier lock waited
 * for `condition(() => !busy)`, which is true for every waiter at once, so two Updates delivered in one
 * activation both went in and both acted (two notices under one document id).
 *
 * Why not async-mutex, as the Temporal samples use: it hands the lock over in a microtask, earlier than a
 * `condition` resolves, which reorders the commands of an uncontended action (a timer's cancellation and the
 * next activity) and would break every running case on replay. Waiting on `condition` keeps the old order
 * wherever there was no contention, so the recorded histories replay unchanged.
 */
export function mutex(): { run<T>(fn: () => Promise<T>): Promise<T>; readonly busy: boolean } {
  let next = 0;
  let serving = 0;
  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      const ticket = next++;
      await condition(() => serving === ticket);
      try {
        return await fn();
      } finally {
        serving += 1;
      }
    },
    /** True while an action holds the lock or waits for it. */
    get busy() {
      return serving !== next;
    },
  };
}
