/**
 * Polls `probe` until it gives a truthy value and returns it; fails naming `what` after `timeoutMs`. For
 * effects that land asynchronously by design (a worker recording a case, a projection catching up).
 */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
