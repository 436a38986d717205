import type { Runtime } from "../../src/runtime.js";

/**
 * A runtime whose waits take no time and are recorded, with no jitter (`random` → 0) and a fixed
 * clock, so retry tests assert the exact delays without sleeping.
 */
export function instantRuntime(
  options: { random?: number; now?: number } = {},
): Runtime & { sleeps: number[] } {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms, signal) => {
      signal.throwIfAborted();
      sleeps.push(ms);
    },
    random: () => options.random ?? 0,
    now: () => options.now ?? Date.UTC(2026, 10, 25, 12, 0, 0),
  };
}
