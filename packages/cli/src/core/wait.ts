import type { Runtime } from "@datafold-ci/client";
import { type CiRunOutcome, waitForCiRun } from "@datafold-ci/client/wait";
import { ExitCode } from "../exit-codes.js";
import { describeSource } from "../output/describe.js";
import type { Output, SignalSource, SourcedId, SourcedValue, WaitSettings } from "../types.js";
import type { Connection } from "./client-setup.js";
import { reportFailure } from "./failure-report.js";
import { type ListedRun, runLister } from "./operations.js";
import { describeListing } from "./run-listing.js";

/** The run to wait for and how the PR's runs are listed. */
export interface WaitTarget {
  readonly ciConfigId: SourcedId;
  readonly ciRunId: number;
  /** A full SHA: runs are listed with `pr_sha`. */
  readonly prSha?: string | undefined;
  /** Used when no full SHA is known. */
  readonly prNum?: string | undefined;
  /**
   * `--ci-run-id` (or its variable) when the user gave the id: a run that is never listed is then most
   * likely the id's mistake. Absent when the id came from Datafold (the trigger's answer, the PR's newest run).
   */
  readonly given?: SourcedValue | undefined;
}

/** What the wait needs besides the target. */
export interface WaitContext {
  readonly connection: Connection;
  readonly settings: WaitSettings;
  readonly out: Output;
  /** `--json`: one document on stdout, `base` (the trigger's answer) with the run added. */
  readonly json: boolean;
  readonly base: Readonly<Record<string, unknown>>;
  readonly signals: SignalSource;
  readonly runtime?: Runtime | undefined;
}

const STOPPED = { SIGINT: ExitCode.Interrupted, SIGTERM: ExitCode.Terminated } as const;

/**
 * Waits for the run, prints a stderr line at each status change, a heartbeat while a status holds (at least
 * every minute for 10 minutes, then every 5, so a CI's no-output timer never ends a healthy wait) and a
 * summary at the end, and returns the exit code its outcome maps to: 0 done, 4 failed, 5 cancelled, 6 timed
 * out, 1 never listed or Datafold failed, 130/143 stopped by SIGINT/SIGTERM. Every time it prints is the
 * time waited so far, read from the clock when the line is printed.
 */
export async function waitAndReport(target: WaitTarget, context: WaitContext): Promise<ExitCode> {
  const { connection, settings, out } = context;
  const id = target.ciRunId;
  const controller = new AbortController();
  const stop = (signal: keyof typeof STOPPED) => () => controller.abort(signal);
  const listeners = { SIGINT: stop("SIGINT"), SIGTERM: stop("SIGTERM") };
  for (const [signal, listener] of Object.entries(listeners))
    context.signals.on(signal as keyof typeof STOPPED, listener);
  const clock = context.runtime ?? { now: Date.now };
  const started = clock.now();
  let last: ListedRun | undefined;
  out.info(
    `Waiting for Datafold CI run ${id} (listing runs by ${describeListing(target)}; at most ${settings.waitTimeoutSeconds} s)`,
  );
  try {
    const outcome = await waitForCiRun(runLister(connection.client), {
      ciConfigId: target.ciConfigId.id,
      ciRunId: id,
      prSha: target.prSha,
      prNum: target.prNum,
      timeoutMs: settings.waitTimeoutSeconds * 1000,
      initialIntervalMs: settings.pollIntervalSeconds * 1000,
      maxIntervalMs: Math.max(15_000, settings.pollIntervalSeconds * 1000),
      signal: controller.signal,
      ...(context.runtime ? { runtime: context.runtime } : {}),
      onStatus: ({ run, elapsedMs }) => {
        last = run;
        out.info(`Datafold CI run ${run.id}: ${run.status} (${seconds(elapsedMs)})`);
      },
      onHeartbeat: ({ run, elapsedMs }) =>
        out.info(
          `Datafold CI run ${id}: ${run ? `still ${run.status}` : "not listed yet"} (${seconds(elapsedMs)})`,
        ),
      onPollFailure: ({ error, retryInMs }) =>
        out.info(
          `checking run ${id} failed (${(error as Error).message}); checking again in ${seconds(retryInMs)}`,
        ),
    });
    return finish(outcome, target, context);
  } catch (error) {
    if (controller.signal.aborted) {
      const waited = seconds(clock.now() - started);
      const signal = controller.signal.reason as keyof typeof STOPPED;
      printJson(context, { ...last, id, status: last?.status ?? null, outcome: "stopped" });
      out.error(
        `stopped waiting (${signal}) after ${waited}: Datafold CI run ${id} was ${last ? `${last.status} at the last check` : "not listed yet"}. ` +
          `The run goes on in Datafold; wait again with: ${waitAgain(target)}`,
      );
      return STOPPED[signal];
    }
    return reportFailure(error, connection, target.ciConfigId, out, {
      prefix: `while waiting for Datafold CI run ${id}: `,
      document: { ...context.base, run: { ...last, id, status: last?.status ?? null, outcome: "error" } },
    });
  } finally {
    for (const [signal, listener] of Object.entries(listeners))
      context.signals.off(signal as keyof typeof STOPPED, listener);
  }
}

function finish(outcome: CiRunOutcome, target: WaitTarget, context: WaitContext): ExitCode {
  const { out, settings } = context;
  const id = target.ciRunId;
  const checks = `${outcome.listCalls} status check${outcome.listCalls === 1 ? "" : "s"}`;
  const after = `after ${seconds(outcome.elapsedMs)} (${checks})`;
  const look =
    `Look at it in Datafold (${context.connection.client.baseUrl}), or list the PR's runs: ` +
    `datafold-ci runs --ci-config-id ${target.ciConfigId.id} ${prFlag(target)}`;
  if (outcome.kind === "not-found") {
    const message = notListed(outcome, target);
    out.error(message);
    out.failed(
      { kind: "run-not-listed", message, exitCode: ExitCode.RequestFailed, request: null },
      { ...context.base, run: { id, status: null, outcome: outcome.kind, listed_ids: outcome.listedIds } },
    );
    return ExitCode.RequestFailed;
  }
  const run = outcome.run;
  printJson(context, { ...run, id, status: run?.status ?? null, outcome: outcome.kind });
  if (outcome.kind === "timed-out") {
    out.error(
      `Datafold CI run ${id} is still ${run ? run.status : "not listed"} ${after}: --wait-timeout ${settings.waitTimeoutSeconds} s passed. ` +
        `${look}, or wait longer with: ${waitAgain(target)}`,
    );
    return ExitCode.WaitTimedOut;
  }
  if (outcome.kind === "done") {
    out.info(
      `Datafold CI run ${id} done ${after}. "done" means the run finished; its differences are reported on the pull request.`,
    );
    return ExitCode.Ok;
  }
  if (outcome.kind === "failed") {
    out.error(`Datafold CI run ${id} failed ${after}. ${look}.`);
    return ExitCode.RunFailed;
  }
  out.error(
    `Datafold CI run ${id} was cancelled ${after}: usually a newer commit of the PR superseded it. ${look}.`,
  );
  return ExitCode.RunCancelled;
}

/**
 * Why the run was never listed. An id the user gave is the likely cause (another PR's run, another CI
 * config's, a typo); an id from the trigger's answer means the list and the answer disagree about ids.
 */
function notListed(outcome: Extract<CiRunOutcome, { kind: "not-found" }>, target: WaitTarget): string {
  const id = target.ciRunId;
  const config = target.ciConfigId;
  const ids = outcome.listedIds;
  const listed =
    ids.length === 0 ? "none" : ids.length > 10 ? `${ids.slice(0, 10).join(", ")}, …` : ids.join(", ");
  const newest = Math.max(...ids);
  const why =
    outcome.reason === "newer-runs-listed"
      ? `run ${newest} is newer, so run ${id} would be listed too if it were one of them`
      : `not listed within ${seconds(outcome.elapsedMs)}`;
  const among = `Datafold CI run ${id} is not among the runs of CI config ${config.id} for ${describeListing(target)} (listed: ${listed}; ${why})`;
  if (target.given)
    return (
      `${among}. The likely cause is the id: check that --ci-run-id ${id} (from ${describeSource(target.given.source)}) ` +
      `is a run of CI config ${config.id} (--ci-config-id, from ${describeSource(config.source)}) and of this PR (${describeListing(target)}). ` +
      `The PR's runs: datafold-ci runs --ci-config-id ${config.id} ${prFlag(target)}`
    );
  return (
    `${among}. datafold-ci takes the trigger's ci_run_id to be the run's id in the list (Datafold's API does not ` +
    "say so); if Datafold changed that, please report it."
  );
}

function prFlag(target: WaitTarget): string {
  return target.prSha ? `--pr-sha ${target.prSha}` : `--pr-num ${target.prNum}`;
}

/** The command that waits for the same run again, complete: a later job can paste it. */
function waitAgain(target: WaitTarget): string {
  return `datafold-ci wait --ci-config-id ${target.ciConfigId.id} --ci-run-id ${target.ciRunId} ${prFlag(target)}`;
}

function printJson(context: WaitContext, run: Record<string, unknown>): void {
  if (context.json) context.out.result(JSON.stringify({ ...context.base, run }));
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
