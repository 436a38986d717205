/** The clock and dice the retry loop uses; replaced in tests so back-off waits take no time. */
export interface Runtime {
  /** Waits `ms`; rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
  /** Milliseconds since the epoch, for `Retry-After` dates. */
  now(): number;
}

export const defaultRuntime: Runtime = {
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    }),
  random: Math.random,
  now: Date.now,
};
