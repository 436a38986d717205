/**
 * The time source of the run lifecycle: milliseconds since the epoch. Only `now` is needed, because
 * a run's status is computed from the clock when it is read; nothing waits on a timer.
 * @default `{ now: Date.now }`
 */
export interface Clock {
  now(): number;
}

/** A {@link Clock} that moves only when told to, shared by the kit and the code under test. */
export interface FakeClock extends Clock {
  /** Moves the clock forward by `ms` (0 or more) and returns the new time. */
  advance(ms: number): number;
  /**
   * Advances the clock by `ms` and resolves on the next microtask, so code that sleeps (a client's
   * poll loop, its retry back-off) runs at full speed while the kit sees the time pass. Rejects with
   * `signal.reason` when `signal` is already aborted. Its shape is the `sleep` of
   * `@datafold-ci/client`'s runtime, so one fake clock can drive both.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A fake clock starting at `startMs`.
 *
 * @example
 * const clock = fakeClock();
 * const datafold = await startMockDatafold({
 *   clock,
 *   runLifecycle: { waitForDiffsMs: 0, stages: [{ status: "processing", ms: 60_000 }] },
 * });
 * // ... trigger a run, then:
 * clock.advance(60_000); // the run now lists as "done"
 *
 * @default startMs `Date.UTC(2026, 0, 1)`
 */
export function fakeClock(startMs: number = Date.UTC(2026, 0, 1)): FakeClock {
  if (!Number.isFinite(startMs))
    throw new TypeError(`fakeClock(): startMs must be a finite number, got ${startMs}.`);
  let time = startMs;
  const advance = (ms: number) => {
    if (!(Number.isFinite(ms) && ms >= 0))
      throw new TypeError(
        `fakeClock: advance(ms) needs a finite number of milliseconds, 0 or more, got ${ms}.`,
      );
    time += ms;
    return time;
  };
  return {
    now: () => time,
    advance,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      advance(ms);
    },
  };
}
