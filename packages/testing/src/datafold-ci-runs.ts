/**
 * What the kit knows about Datafold's CI runs beyond its OpenAPI document: the one file that names
 * Datafold's CI operations, statuses and fields. Everything else in the kit is driven by the table.
 *
 * The operations are found in `@datafold-ci/api-description`'s table by the client method names
 * `spec/overrides/` gives them (`CI_OPERATION_NAMES`), so an operationId renamed upstream changes nothing,
 * and nothing here restates a path or a schema:
 * - the trigger's last path template before its final segment names the CI config id
 *   (`/api/v1/ci/{ci_config_id}/trigger`);
 * - the run list's success answer is a JSON array whose item schema is the run (`ApiCiRun`); its query
 *   parameters filter and page the list;
 * - the upload's last path template is the PR number.
 * An operation missing from the table is simply not given state.
 */
import {
  type ApiDescription,
  type JsonSchema,
  CI_OPERATION_NAMES,
  findOperation,
  type OperationDescription,
} from "@datafold-ci/api-description";
import type { Clock } from "./clock.js";
import { type HttpAnswer, jsonAnswer } from "./http-answer.js";
import type { RequestValues } from "./request-validation.js";
import { assertLifecycle, type RunLifecycle, statusAfter } from "./run-lifecycle.js";
import { resolveSchema, schemaAllows } from "./schema-facts.js";
import { runAnswer, successResponse } from "./success-answer.js";
import { synthesizeValue } from "./synthesize-value.js";

/** Statuses after which a run never changes: those Datafold's official SDK stops waiting on. */
export const FINISHED_STATUSES: readonly string[] = ["done", "failed", "cancelled"];
/** What a run superseded by a newer trigger for its PR shows. */
const SUPERSEDED_STATUS = "cancelled";
/**
 * The lifecycle of a run nobody scripted, and the defaults of a scripted one's omitted fields: it waits up to
 * ten minutes for its diffs (see {@link RunLifecycle.waitForDiffsMs} for why ten), then 1 s waiting, 4 s
 * processing, then "done". `{ waitForDiffsMs: 0 }` gives a run that moves on at once, diffs or not.
 */
export const DEFAULT_RUN_LIFECYCLE: Required<RunLifecycle> = {
  waitForDiffsMs: 10 * 60_000,
  stages: [
    { status: "waiting", ms: 1000 },
    { status: "processing", ms: 4000 },
  ],
  outcome: "done",
};
/** Run fields filled from the trigger's body under another name: the run's `pr_num` is the PR's `pr_number`. */
const FIELD_FROM_TRIGGER: Readonly<Record<string, string>> = { pr_num: "pr_number" };
/** The run's id and status fields, and the PR number that supersede and uploads match on. */
const ID_FIELD = "id";
const STATUS_FIELD = "status";
const PR_FIELD = "pr_num";
/** What `source` reads for a run started through the API. Datafold documents no values; this is a guess. */
const SOURCE_FIELD = "source";
const TRIGGERED_SOURCE = "api";
/** The run list's paging parameters; their defaults come from the spec. */
const LIMIT_PARAMETER = "limit";
const OFFSET_PARAMETER = "offset";

/** A started run as a rule for its lifecycle sees it. */
export interface TriggeredRun {
  readonly ciConfigId: number;
  readonly runId: number;
  /** The trigger's body as validated, e.g. `{ pr_number: 7, pr_sha: "0f3c2a9", … }`. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** One run as the kit holds it, for assertions. */
export interface CiRunSnapshot {
  readonly ciConfigId: number;
  readonly id: number;
  /** The status at the clock's current time. */
  readonly status: string;
  /** The run as `GET …/runs` lists it now (`ApiCiRun`). */
  readonly listed: Readonly<Record<string, unknown>>;
  /** The body of each upload attached to the run (`CiDiff[]`), in arrival order. */
  readonly uploads: readonly unknown[];
}

/** Options of the CI run state; part of `DatafoldBehaviourOptions`. */
export interface CiRunOptions {
  /** CI config ids whose triggers answer 200 with `null` ids: accepted, but no run started. */
  noRunFor?: readonly number[];
  /**
   * The run id of the first successful trigger; each later one gets the next integer.
   * @default 1
   */
  firstRunId?: number;
  /**
   * The time source of run lifecycles. Share a {@link FakeClock} with the code under test to run
   * hours of lifecycle in no time.
   * @default `{ now: Date.now }`
   */
  clock?: Clock;
  /**
   * How runs nobody scripted with `scriptRuns` move: one lifecycle for all, or a rule per run.
   * @default waiting for diffs (up to 10 min), waiting 1 s, processing 4 s, then "done"
   * @example { waitForDiffsMs: 0 } // moves on at once, diffs or not: done 5 s after the trigger
   * @example (run) => (run.details.pr_branch === "broken" ? { outcome: "failed" } : {})
   */
  runLifecycle?: RunLifecycle | ((run: TriggeredRun) => RunLifecycle);
  /**
   * A trigger cancels the unfinished runs of the same CI config and PR number (their status becomes
   * "cancelled"), as Datafold does when a newer commit is pushed.
   * @default false
   */
  supersede?: boolean;
}

/** Steering and inspecting runs at run time; part of `MockDatafoldControls`. */
export interface CiRunControls {
  /**
   * Makes triggers for `ciConfigId` answer "no run started" (`enabled` true) or start runs again.
   * @default enabled true
   */
  noRunFor(ciConfigId: number, enabled?: boolean): void;
  /** Queues lifecycles for the next runs started, one each, ahead of the `runLifecycle` option. */
  scriptRuns(...lifecycles: RunLifecycle[]): void;
  /** Sets a run's status from now on, whatever its lifecycle says; any string. Throws for an unknown id. */
  setRunStatus(runId: number, status: string): void;
  /** Runs started so far, newest first, with their status now; only those of `ciConfigId` if given. */
  runs(ciConfigId?: number): CiRunSnapshot[];
}

/** The CI operations' state: `answer` returns `undefined` for an operation without state. */
export interface CiRuns {
  readonly controls: CiRunControls;
  answer(operation: OperationDescription, values: RequestValues): HttpAnswer | undefined;
}

interface Run {
  readonly ciConfigId: number;
  readonly id: number;
  readonly startedAt: number;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly lifecycle: Required<RunLifecycle>;
  /** When the first upload attached to the run: it ends the wait for diffs. */
  diffsAt?: number;
  /** Set by `setRunStatus` or a supersede: wins over the lifecycle. */
  override?: string;
  readonly uploads: unknown[];
}

/** The CI operations located by the rule in this file's header. */
interface CiOperations {
  readonly trigger?: OperationDescription;
  readonly list?: OperationDescription;
  readonly upload?: OperationDescription;
  /** The path parameter holding the CI config id. */
  readonly configParameter?: string;
  /** The run's schema: the list's items. */
  readonly runSchema?: JsonSchema;
}

function findCiOperations(api: ApiDescription): CiOperations {
  const trigger = findOperation(api, CI_OPERATION_NAMES.trigger);
  if (!trigger) return {};
  const parent = trigger.path.slice(0, trigger.path.lastIndexOf("/") + 1);
  const configParameter = [...parent.matchAll(/\{([^}]+)\}/g)].at(-1)?.[1];
  const list = findOperation(api, CI_OPERATION_NAMES.listRuns);
  const listed = list && successResponse(list).schema;
  const items = listed && resolveSchema(listed, api).items;
  const upload = findOperation(api, CI_OPERATION_NAMES.upload);
  return {
    trigger,
    ...(list && items && { list, runSchema: resolveSchema(items, api) }),
    ...(upload && { upload }),
    ...(configParameter && { configParameter }),
  };
}

/** Creates the run state for `api`'s CI operations. `caller` names the public function in errors. */
export function createCiRuns(api: ApiDescription, options: CiRunOptions, caller: string): CiRuns {
  checkCiRunOptions(options, caller);
  const ci = findCiOperations(api);
  const clock = options.clock ?? { now: () => Date.now() };
  const noRun = new Set(options.noRunFor ?? []);
  const scripted: RunLifecycle[] = [];
  /** Oldest first; listed newest first. */
  const runs: Run[] = [];
  let nextRunId = options.firstRunId ?? 1;

  const statusOf = (run: Run, now: number) =>
    run.override ??
    statusAfter(
      run.lifecycle,
      now - run.startedAt,
      run.diffsAt === undefined ? undefined : run.diffsAt - run.startedAt,
    );
  const unfinished = (run: Run, now: number) => !FINISHED_STATUSES.includes(statusOf(run, now));
  const listed = (run: Run, now: number): Record<string, unknown> => {
    const item: Record<string, unknown> = {};
    for (const name of Object.keys(ci.runSchema?.properties ?? { [STATUS_FIELD]: {} }))
      item[name] = name === STATUS_FIELD ? statusOf(run, now) : run.fields[name];
    return item;
  };
  const configIdOf = (values: RequestValues) => {
    const id = ci.configParameter === undefined ? undefined : values.path[ci.configParameter];
    return typeof id === "number" ? id : undefined;
  };

  const lifecycleFor = (run: TriggeredRun): Required<RunLifecycle> => {
    const rule = options.runLifecycle;
    const chosen = scripted.shift() ?? (typeof rule === "function" ? rule(run) : rule) ?? {};
    assertLifecycle(chosen, `${caller}: the lifecycle for run ${run.runId}`);
    return { ...DEFAULT_RUN_LIFECYCLE, ...chosen };
  };

  const trigger = (values: RequestValues, operation: OperationDescription): HttpAnswer => {
    const ciConfigId = configIdOf(values);
    if (ciConfigId === undefined || noRun.has(ciConfigId)) return runAnswer(api, operation, null);
    const details = (values.body ?? {}) as Record<string, unknown>;
    const id = nextRunId++;
    const now = clock.now();
    const fields = runFields(api, ci.runSchema, details, id);
    if (options.supersede) {
      for (const older of runs) {
        if (
          older.ciConfigId === ciConfigId &&
          sameText(older.fields[PR_FIELD], fields[PR_FIELD]) &&
          unfinished(older, now)
        )
          older.override = SUPERSEDED_STATUS;
      }
    }
    const lifecycle = lifecycleFor({ ciConfigId, runId: id, details });
    runs.push({ ciConfigId, id, startedAt: now, fields, lifecycle, uploads: [] });
    return runAnswer(api, operation, id);
  };

  const list = (values: RequestValues, operation: OperationDescription): HttpAnswer => {
    const ciConfigId = configIdOf(values);
    const now = clock.now();
    const paging = (name: string) => {
      const value = values.query[name] ?? operation.parameters.find((p) => p.name === name)?.schema.default;
      return typeof value === "number" ? Math.max(0, value) : undefined;
    };
    const offset = paging(OFFSET_PARAMETER) ?? 0;
    const limit = paging(LIMIT_PARAMETER) ?? Number.POSITIVE_INFINITY;
    // A query parameter named like a run field filters on it (pr_sha, pr_num); null means "any".
    const filters = Object.entries(values.query).filter(
      ([name, value]) => value !== null && Object.hasOwn(ci.runSchema?.properties ?? {}, name),
    );
    // Filtered on the stored fields before a listed copy is built, so that list calls stay cheap with
    // ten thousand runs stored: a soak test must measure the client, not the kit's own latency.
    const fieldOf = (run: Run, name: string) =>
      name === STATUS_FIELD ? statusOf(run, now) : run.fields[name];
    const matching = runs
      .filter(
        (run) =>
          run.ciConfigId === ciConfigId &&
          filters.every(([name, value]) => sameText(fieldOf(run, name), value)),
      )
      .map((run) => listed(run, now))
      .reverse();
    return jsonAnswer(successResponse(operation).status, matching.slice(offset, offset + limit));
  };

  const upload = (values: RequestValues, operation: OperationDescription): HttpAnswer => {
    const ciConfigId = configIdOf(values);
    const prParameter = /\{([^}]+)\}$/.exec(operation.path)?.[1] ?? "";
    const now = clock.now();
    const run = runs.findLast(
      (r) =>
        r.ciConfigId === ciConfigId &&
        sameText(r.fields[PR_FIELD], values.path[prParameter]) &&
        unfinished(r, now),
    );
    if (run) {
      run.uploads.push(values.body);
      run.diffsAt ??= now;
    }
    return runAnswer(api, operation, run ? run.id : null);
  };

  const controls: CiRunControls = {
    noRunFor(ciConfigId, enabled = true) {
      if (!Number.isSafeInteger(ciConfigId))
        throw new TypeError(`noRunFor(): ciConfigId must be an integer, got ${String(ciConfigId)}.`);
      if (enabled) noRun.add(ciConfigId);
      else noRun.delete(ciConfigId);
    },
    scriptRuns(...lifecycles) {
      lifecycles.forEach((lifecycle, i) => {
        assertLifecycle(lifecycle, `scriptRuns(): lifecycle ${i + 1}`);
      });
      scripted.push(...lifecycles);
    },
    setRunStatus(runId, status) {
      if (typeof status !== "string" || status === "")
        throw new TypeError(
          `setRunStatus(): status must be a non-empty string, got ${JSON.stringify(status)}.`,
        );
      const run = runs.find((r) => r.id === runId);
      if (!run)
        throw new RangeError(
          `setRunStatus(): no run ${String(runId)}; started so far: ${runs.map((r) => r.id).join(", ") || "none"}.`,
        );
      run.override = status;
    },
    runs(ciConfigId) {
      const now = clock.now();
      return runs
        .filter((run) => ciConfigId === undefined || run.ciConfigId === ciConfigId)
        .reverse()
        .map((run) => ({
          ciConfigId: run.ciConfigId,
          id: run.id,
          status: statusOf(run, now),
          listed: listed(run, now),
          uploads: [...run.uploads],
        }));
    },
  };

  return {
    controls,
    answer(operation, values) {
      if (operation === ci.trigger) return trigger(values, operation);
      if (operation === ci.list) return list(values, operation);
      if (operation === ci.upload) return upload(values, operation);
      return undefined;
    },
  };
}

/** A run's fields but its status, from the trigger's validated body and the run schema. */
function runFields(
  api: ApiDescription,
  runSchema: JsonSchema | undefined,
  details: Readonly<Record<string, unknown>>,
  id: number,
): Record<string, unknown> {
  const fields: Record<string, unknown> = { [ID_FIELD]: id };
  for (const [name, property] of Object.entries(runSchema?.properties ?? {})) {
    if (name === ID_FIELD || name === STATUS_FIELD) continue;
    const given = details[FIELD_FROM_TRIGGER[name] ?? name];
    if (given !== undefined)
      fields[name] =
        typeof given !== "string" && schemaAllows(property, api, "string") ? String(given) : given;
    else fields[name] = name === SOURCE_FIELD ? TRIGGERED_SOURCE : synthesizeValue(property, api.schemas);
  }
  // Supersede and uploads match on the PR number even when the run schema has no such field.
  const prNumber = details[FIELD_FROM_TRIGGER[PR_FIELD] ?? PR_FIELD];
  if (prNumber !== undefined) fields[PR_FIELD] ??= String(prNumber);
  return fields;
}

/** Compares ids the way Datafold's string query and integer path parameters meet: as text. */
function sameText(a: unknown, b: unknown): boolean {
  return a !== undefined && b !== undefined && String(a) === String(b);
}

function checkCiRunOptions(options: CiRunOptions, caller: string): void {
  const { noRunFor, firstRunId, clock, runLifecycle } = options;
  if (noRunFor !== undefined && !(Array.isArray(noRunFor) && noRunFor.every(Number.isSafeInteger)))
    throw new TypeError(`${caller}: options.noRunFor must be an array of integer CI config ids.`);
  if (firstRunId !== undefined && !(Number.isSafeInteger(firstRunId) && firstRunId >= 0))
    throw new TypeError(
      `${caller}: options.firstRunId must be an integer, 0 or more, got ${String(firstRunId)}.`,
    );
  if (clock !== undefined && typeof clock?.now !== "function")
    throw new TypeError(
      `${caller}: options.clock must be an object with a now() method returning milliseconds.`,
    );
  if (runLifecycle !== undefined && typeof runLifecycle !== "function")
    assertLifecycle(runLifecycle, `${caller}: options.runLifecycle`);
}
