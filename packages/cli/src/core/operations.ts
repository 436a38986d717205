import { CI_OPERATION_NAMES } from "@datafold-ci/api-description";
import { checkInput, type DatafoldClient, DatafoldInputError, type InputIssue } from "@datafold-ci/client";
import type { CiRunLister } from "@datafold-ci/client/wait";
import { operationInputs } from "../args/flag-table.js";
import type { OperationInputs } from "../types.js";

/** A method of this build's client: generated from the same spec as the CLI's input table. */
type MethodName = Parameters<typeof checkInput>[0];

/**
 * What client method `N` resolves with in this build, or `Fallback` when this build's client has no such
 * method (its operation was removed upstream): code that calls it through {@link callOperation} then still
 * compiles, and its command says at run time that it is unavailable.
 */
export type AnswerOf<N extends string, Fallback, Client = DatafoldClient> = Client extends {
  readonly [K in N]: (...args: never[]) => Promise<infer Answer>;
}
  ? Answer
  : Fallback;

/**
 * The operation client method `method` sends, when this build has it: the CLI's input table and the client
 * are generated from the same spec, so an operation in one is a method of the other.
 */
export function findOperation(method: string): OperationInputs | undefined {
  return operationInputs(method);
}

/**
 * Checks `args` (the method's positional arguments) as the client does before sending anything: every
 * problem, each naming its argument (`ci_config_id`, `pr_branch`, `diffs[0].prod`). Empty when they can be sent.
 */
export function checkOperationInput(operation: OperationInputs, args: readonly unknown[]): InputIssue[] {
  if (!isMethodName(operation.method))
    throw new Error(`the client has no method ${operation.method}, which the CLI's input table lists`);
  return checkInput(operation.method, ...args);
}

/**
 * Calls client method `name` with `args` and `options`, by name, so the CLI builds whether or not this
 * build's spec has the operation: a missing method is never reached, because its command found no
 * operation ({@link findOperation}) and stopped. The arguments come from the input table as values of the
 * operation's own types, checked by {@link checkOperationInput}; the client checks its answer against the
 * spec before resolving, so the answer is the method's.
 */
export async function callOperation<N extends string, Fallback>(
  client: DatafoldClient,
  name: N,
  args: readonly unknown[],
  options?: object,
): Promise<AnswerOf<N, Fallback>> {
  const method: unknown = Reflect.get(client, name);
  if (typeof method !== "function") throw new Error(`the client has no method ${name}`);
  const answer: unknown = await Reflect.apply(method, client, [...args, options]);
  return answer as AnswerOf<N, Fallback>;
}

/** Whether `error` is the client's refusal of input it was given, naming each bad argument. */
export function isInputError(error: unknown): error is DatafoldInputError {
  return error instanceof DatafoldInputError;
}

function isMethodName(name: string): name is MethodName {
  return findOperation(name) !== undefined;
}

/** What the CLI reads of Datafold's answer to a trigger or an upload, in a build without the operation. */
export interface JobAnswer {
  readonly ci_run_id?: number | null;
  readonly run_id?: number | null;
}

/** What lists a config's runs: `waitForCiRun` polls it. */
export type RunLister = CiRunLister;

/** Datafold's answer to the trigger (`SubmitCiJob`). */
export type TriggerAnswer = AnswerOf<typeof CI_OPERATION_NAMES.trigger, JobAnswer>;
/** Datafold's answer to an upload of a PR's changes (`SubmitCiJob`). */
export type UploadAnswer = AnswerOf<typeof CI_OPERATION_NAMES.upload, JobAnswer>;
/** One run of a config's run list (`ApiCiRun`). */
export type ListedRun = Awaited<ReturnType<RunLister["listCiRuns"]>>[number];

/** Starts a run: the trigger, with the client's call options (`checkForStartedRun`). */
export function triggerRun(
  client: DatafoldClient,
  args: readonly unknown[],
  options: { readonly checkForStartedRun: boolean },
): Promise<TriggerAnswer> {
  return callOperation<typeof CI_OPERATION_NAMES.trigger, JobAnswer>(
    client,
    CI_OPERATION_NAMES.trigger,
    args,
    options,
  );
}

/** Sends a PR's changes to its waiting run. */
export function uploadChanges(client: DatafoldClient, args: readonly unknown[]): Promise<UploadAnswer> {
  return callOperation<typeof CI_OPERATION_NAMES.upload, JobAnswer>(client, CI_OPERATION_NAMES.upload, args);
}

/**
 * The client as `waitForCiRun` uses it: its run list, reached by name like every operation here, and its
 * options (each check's budget is the client's `totalTimeoutMs`, cut to what remains of the wait).
 */
export function runLister(client: DatafoldClient): RunLister {
  type Runs = Awaited<ReturnType<RunLister["listCiRuns"]>>;
  return {
    config: client.config,
    listCiRuns: (ciConfigId, query, options) =>
      callOperation<typeof CI_OPERATION_NAMES.listRuns, Runs>(
        client,
        CI_OPERATION_NAMES.listRuns,
        [ciConfigId, query],
        options,
      ),
  };
}

/** A page of a config's runs: the run list with `args` (the config id, the query). */
export function listRuns(client: DatafoldClient, args: readonly unknown[]): Promise<ListedRun[]> {
  return callOperation<typeof CI_OPERATION_NAMES.listRuns, ListedRun[]>(
    client,
    CI_OPERATION_NAMES.listRuns,
    args,
  );
}
