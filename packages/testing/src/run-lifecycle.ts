/** One status a run holds for a while before moving on. */
export interface RunStage {
  /** Any string: Datafold's document lists no statuses, so unknown ones must be testable too. */
  readonly status: string;
  /** How long the run holds it, in milliseconds of the kit's clock. */
  readonly ms: number;
}

/**
 * How a run moves after its trigger, on the kit's clock. As Datafold's own docs describe an API-triggered run,
 * it first waits for its data: the diffs a pipeline uploads (`POST …/{pr_num}`, `datafold ci submit`). It shows
 * `"waiting"` until the first upload attaches to it, or until `waitForDiffsMs` has passed without one; then
 * each stage in turn for its `ms`, counted from that moment, then `outcome` for good. Omitted fields take the
 * defaults.
 *
 * @example
 * // no wait for diffs: the stages start at the trigger, as a test of a waiting client wants
 * { waitForDiffsMs: 0, stages: [{ status: "processing", ms: 90_000 }], outcome: "failed" }
 */
export interface RunLifecycle {
  /**
   * How long a run waits for its diffs before it moves on to its stages without them, in milliseconds of the
   * kit's clock; `0` starts the stages at the trigger, `Infinity` waits for an upload however long it takes.
   *
   * Ten minutes by default: longer than what a pipeline typically does between its trigger and its upload
   * (install dbt, build the changed models, compute the diffs), so such a pipeline finds its run still waiting;
   * short enough that a run nobody uploads to (a test that never submits, a pipeline sending dbt artifacts
   * through an operation the kit does not serve) still finishes well inside the official SDK's 60-minute wait
   * and a CI job's timeout.
   * @default 600_000
   */
  readonly waitForDiffsMs?: number;
  /** @default [{ status: "waiting", ms: 1000 }, { status: "processing", ms: 4000 }] */
  readonly stages?: readonly RunStage[];
  /** The final status; any string. @default "done" */
  readonly outcome?: string;
}

/** What a run shows while it waits for its diffs. */
export const WAITING_FOR_DIFFS_STATUS = "waiting";

const LIFECYCLE_FIELDS: readonly string[] = ["waitForDiffsMs", "stages", "outcome"];

/**
 * The status `elapsedMs` after the run's trigger, under `lifecycle`; `diffsAfterMs` is when its first upload
 * arrived, counted from the trigger, or `undefined` while none has.
 */
export function statusAfter(
  lifecycle: Required<RunLifecycle>,
  elapsedMs: number,
  diffsAfterMs: number | undefined,
): string {
  const stagesFrom = Math.min(lifecycle.waitForDiffsMs, diffsAfterMs ?? Number.POSITIVE_INFINITY);
  if (elapsedMs < stagesFrom) return WAITING_FOR_DIFFS_STATUS;
  let end = stagesFrom;
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
    fail("a run lifecycle must be an object { waitForDiffsMs?, stages?, outcome? }");
  const fields = value as Record<string, unknown>;
  // A misspelt field would otherwise fall back to its default silently: a run waiting ten minutes for diffs.
  const unknown = Object.keys(fields).find((name) => !LIFECYCLE_FIELDS.includes(name));
  if (unknown !== undefined)
    fail(
      `unknown field \`${unknown}\` (a run lifecycle has ${LIFECYCLE_FIELDS.map((f) => `\`${f}\``).join(", ")})`,
    );
  const { waitForDiffsMs, stages, outcome } = fields;
  if (
    waitForDiffsMs !== undefined &&
    !(typeof waitForDiffsMs === "number" && !Number.isNaN(waitForDiffsMs) && waitForDiffsMs >= 0)
  )
    fail("`waitForDiffsMs` must be a number of milliseconds, 0 or more (or Infinity)");
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
