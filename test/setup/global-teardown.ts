export default async function globalTeardown(): Promise<void> {
  const stops = (globalThis as { __testStops?: (() => Promise<void>)[] }).__testStops ?? [];
  for (const stop of stops.reverse()) {
    await stop().catch((err: unknown) => {
      console.error('teardown:', err);
    });
  }
}
