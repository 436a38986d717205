/** One status a run holds for a while before moving on. */
export interface RunStage {
  /** Any string: Datafold's document lists no statuses, so unknown ones must be testable too. */
  readonly status: string;
  /** How long the run holds it, in milliseconds of the kit's clock. */
  readonly ms: number;
}

/**
 * The statuses a run moves through after its trigger, on the kit's clock: each stage in turn for its
 * `ms`, then `outcome` for good. Omitted fields take the defaults.
 *
 * @example
 * { stages: [{ status: "waiting", ms: 0 }, { status: "processing", ms: 90_000 }], outcome: "failed" }
 */
export interface RunLifecycle {
  /** @default [{ status: "waiting", ms: 1000 }, { status: "processing", ms: 4000 }] */
  readonly stages?: readonly RunStage[];
  /** The final status; any string. @default "done" */
  readonly outcome?: string;
}

/** The status `elapsedMs` after the run started, under `lifecycle`. */
export function statusAfter(lifecycle: Required<RunLifecycle>, elapsedMs: number): string {
  let end = 0;
  for (const stage of lifecycle.stages) {
    end += stage.ms;
    if (elapsedMs < end) return stage.status;
  }
  return lifecycle.outcome;
}

/** Throws a `TypeError` naming the first thing wrong with `value`, so a typo fails where it is written. */
export function assertLifecycle(value: unknown, where: string): asserts value is RunLifecycle {
  const fail = (what: string): never => {
    throw new TypeError(`${where}: ${what}, got ${safeJson(value)}.`);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value))
    fail("a run lifecycle must be an object { stages?, outcome? }");
  const { stages, outcome } = value as Record<string, unknown>;
  if (outcome !== undefined && (typeof outcome !== "string" || outcome === ""))
    fail("`outcome` must be a non-empty status string");
  if (stages === undefined) return;
  if (!Array.isArray(stages)) fail("`stages` must be an array of { status, ms }");
  for (const [i, stage] of (stages as unknown[]).entries()) {
    const { status, ms } = (stage ?? {}) as Record<string, unknown>;
    if (typeof status !== "string" || status === "")
      fail(`\`stages[${i}].status\` must be a non-empty string`);
    if (!(typeof ms === "number" && Number.isFinite(ms) && ms >= 0))
      fail(`\`stages[${i}].ms\` must be a finite number of milliseconds, 0 or more`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
