import type { Parsed } from "./attempt-flags.js";
import { envValue } from "./ci/read-variable.js";
import type { CliOptions } from "./cli-options.js";
import { type Connection, connect, refuse } from "./connect.js";
import type { ExitCode } from "./exit-codes.js";
import type { Output } from "./output.js";
import type { CommandLine } from "./parse-command-line.js";
import { TRIGGER_FIELDS } from "./pr-fields.js";
import { listingKeys, type ResolvedPr, resolvePr } from "./resolve-pr.js";
import { describeSource, type SourcedValue } from "./value-source.js";

/** How the PR's runs are listed: a full head SHA, else the PR number. */
export interface ListingFlags {
  readonly prSha?: string | undefined;
  readonly prNum?: string | undefined;
}

/** What a command that lists a PR's runs starts from. */
export interface RunListing {
  readonly connection: Connection;
  readonly ciConfigId: SourcedValue & { readonly id: number };
  readonly keys: ListingFlags;
}

/**
 * Resolves the connection, the CI config id and the PR to list runs for, as `wait` and `runs` need them.
 * With any problem (`extra` included) it prints them all and gives the usage exit code instead.
 */
export async function prepareRunListing(
  command: string,
  commandLine: CommandLine,
  options: CliOptions,
  out: Output,
  extra: readonly (string | undefined)[],
): Promise<RunListing | ExitCode> {
  const pr = await resolvePr(commandLine, options);
  const { connection, problems } = connect(commandLine, options, out);
  const configId = readCiConfigId(pr);
  const keys = await listingKeys(pr);
  const all = [
    ...problems,
    ...(configId.ok ? [] : [configId.problem]),
    ...extra.filter((problem): problem is string => problem !== undefined),
    ...requireListingKeys(keys, pr),
  ];
  if (all.length > 0 || !connection || !configId.ok) return refuse(all, command, out);
  if (keys.note) out.warn(keys.note);
  return { connection, ciConfigId: configId.value, keys: { prSha: keys.prSha, prNum: keys.prNum } };
}

/** The list query for `keys`: `pr_sha` when a full SHA is known, else `pr_num`. */
export function listQuery(keys: ListingFlags): { pr_sha: string } | { pr_num: string | null } {
  return keys.prSha ? { pr_sha: keys.prSha } : { pr_num: keys.prNum ?? null };
}

/** `pr_sha 1a2b3c4d5e6f` or `PR number 7`, for messages. */
export function describeListing(keys: ListingFlags): string {
  return keys.prSha ? `pr_sha ${keys.prSha.slice(0, 12)}` : `PR number ${keys.prNum}`;
}

/** The CI config id, from `--ci-config-id` or `DATAFOLD_CI_CONFIG_ID`, as a positive integer. */
export function readCiConfigId(pr: ResolvedPr): Parsed<SourcedValue & { readonly id: number }> {
  const found = pr.resolved.values.ci_config_id;
  const spec = TRIGGER_FIELDS.ci_config_id;
  if (found === undefined)
    return {
      ok: false,
      problem: `${spec.flag} is missing (${spec.label}): pass ${spec.flag} or set ${spec.env}; it is the id of the CI config in Datafold's CI settings.`,
    };
  return positive(found.value, `${spec.flag} (from ${describeSource(found.source)})`, (id) => ({
    ...found,
    id,
  }));
}

/** `--ci-run-id` or `DATAFOLD_CI_RUN_ID`; `undefined` when neither is given. */
export function readRunId(
  commandLine: CommandLine,
  env: Readonly<Record<string, string | undefined>>,
): Parsed<number | undefined> {
  const flag = commandLine.strings.get("ci-run-id");
  const raw = flag?.value ?? envValue(env, "DATAFOLD_CI_RUN_ID");
  if (raw === undefined) return { ok: true, value: undefined };
  return positive(raw, flag ? `${flag.typed} (from flag ${flag.typed})` : "DATAFOLD_CI_RUN_ID", (id) => id);
}

/** A problem when neither a SHA nor a PR number is known to list the runs by. */
function requireListingKeys(keys: ListingFlags & { note?: string }, pr: ResolvedPr): string[] {
  if (keys.prSha || keys.prNum) return [];
  const { provider } = pr.detection;
  const where = provider
    ? `${provider.name} was detected, but this build is not ${provider.prBuild}`
    : "no CI system was detected";
  return [
    `the PR is unknown (${where}${keys.note ? `; ${keys.note}` : ""}): pass --pr-sha <full sha> or --pr-num <n> to list its runs.`,
  ];
}

function positive<T>(raw: string, from: string, make: (id: number) => T): Parsed<T> {
  const id = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0
    ? { ok: true, value: make(id) }
    : { ok: false, problem: `${from} is ${JSON.stringify(raw)}: expected a positive whole number, e.g. 123` };
}
