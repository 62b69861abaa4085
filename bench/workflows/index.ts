// The benchmarks' baseline workflow, bundled by the bench worker on a task queue of its own: it does
// nothing but what Temporal itself must do (start, complete, answer an Update), so the cost of a
// listing case can be read against the cost of the same server doing the least it can.
import { condition, setHandler } from '@temporalio/workflow';
import { finishSignal, pingUpdate, type EmptyWorkflowInput } from './definitions';

export async function emptyWorkflow(input: EmptyWorkflowInput): Promise<void> {
  let finished = !input.stayOpen;
  setHandler(pingUpdate, (n: number) => n);
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
}
