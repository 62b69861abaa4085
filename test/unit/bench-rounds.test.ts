import { combinedCpu, combinedTimedLoad, slice, turnOrder } from '../../bench/lib/rounds';

describe('a side and its baseline measured in rounds', () => {
  it('swaps which side goes first each round', () => {
    expect([0, 1, 2, 3].map((r) => turnOrder(r, ['raw', 'api'] as const).join(' '))).toEqual(['raw api', 'api raw', 'raw api', 'api raw']);
  });

  it('splits the items into consecutive slices that hold each item once', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const slices = [0, 1, 2].map((i) => slice(items, i, 3));
    expect(slices.map((s) => s.length)).toEqual([3, 3, 4]);
    expect(slices.flat()).toEqual(items);
  });

  it('combines timed windows into the rate over their summed length, not the mean of their rates', () => {
    const w = (completed: number, seconds: number) => ({
      latencies: Array.from({ length: completed }, () => 10),
      errors: completed === 0 ? 1 : 0,
      errorSamples: completed === 0 ? ['down'] : [],
      wallMs: seconds * 1000,
      completed,
      totalCompleted: completed + 5,
      ratePerSecond: completed / seconds,
    });
    const r = combinedTimedLoad([w(100, 2), w(0, 2), w(50, 1)]);
    expect(r).toMatchObject({ completed: 150, totalCompleted: 165, ratePerSecond: 30, errors: 1, errorSamples: ['down'], wallMs: 5000 });
    expect(r.latencies).toHaveLength(150);
  });

  it('gives each part the CPU seconds of every window and its share of a core over their summed wall time', () => {
    const cpu = (s: number) => ({
      bench: { cpuSeconds: s, coreShare: 0 },
      worker: { cpuSeconds: 2 * s, coreShare: 0 },
      temporal: { cpuSeconds: 0, coreShare: 0 },
      postgres: { cpuSeconds: 0, coreShare: 0 },
    });
    const c = combinedCpu([
      { cpu: cpu(1), meteredSeconds: 4 },
      { cpu: cpu(3), meteredSeconds: 4 },
    ]);
    expect(c.bench).toEqual({ cpuSeconds: 4, coreShare: 0.5 });
    expect(c.worker).toEqual({ cpuSeconds: 8, coreShare: 1 });
  });
});
