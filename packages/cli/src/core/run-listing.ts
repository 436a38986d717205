import { expandCommit, FULL_SHA } from "../git/git-lookup.js";
import { describeSource } from "../output/describe.js";
import { factOf } from "../ci/provider-spec.js";
import type { ExitCode } from "../exit-codes.js";
import type { CliInput, CommandContext, SourcedId, SourcedValue } from "../types.js";
import { type Connection, setUpClient } from "./client-setup.js";
import { reportInputProblems } from "./failure-report.js";
import {
  buildRequest,
  CONFIG_ID,
  inputProblems,
  type Resolution,
  resolveInputs,
  valueOfFact,
} from "./inputs.js";

/** How the PR's runs are listed: a full head SHA, else the PR number (the list matches whole SHAs only). */
export interface ListingKeys {
  readonly prSha?: string | undefined;
  readonly prNum?: string | undefined;
}

/** What a command that lists a PR's runs starts from. */
export interface RunListing {
  readonly connection: Connection;
  readonly ciConfigId: SourcedId;
  readonly keys: ListingKeys;
  /** The list's arguments (config id, query: the keys, and the other query inputs given or defaulted). */
  readonly args: readonly unknown[];
  /** The query parameter each key is sent as. */
  readonly keyNames: { readonly prSha: string; readonly prNum: string };
}

/** A value a command can go on with, or the exit code it has already reported. */
export type Prepared<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly exitCode: ExitCode };

/**
 * Resolves the client, the CI config id and the PR to list runs for, as `wait` and `runs` need them, from the
 * run list's inputs the command takes. With any problem (`extra` included) it prints them all and gives the
 * usage exit code instead.
 */
export async function resolveRunListing(
  context: CommandContext,
  extra: readonly string[] = [],
): Promise<Prepared<RunListing>> {
  const { name, args, operation, inputs, options, out } = context;
  const resolution = await resolveInputs(inputs, args.inputs, options);
  const { connection, problems } = setUpClient(args.connection, options, out);
  const keys = await listingKeys(resolution);
  const shaInput = inputs.find((input) => factOf(input) === "pr_sha");
  const numInput = inputs.find((input) => factOf(input) === "pr_number");
  // The list is sent with one key: the SHA when a full one is known, else the number.
  const values = new Map(resolution.values);
  for (const [input, key] of [
    [shaInput, keys.prSha],
    [numInput, keys.prSha ? undefined : keys.prNum],
  ] as const) {
    if (input === undefined) continue;
    const found = values.get(input.name);
    if (found && key !== undefined) values.set(input.name, { ...found, value: key });
    else values.delete(input.name);
  }
  const listing: Resolution = { ...resolution, values };
  const request = operation && (await buildRequest(operation, listing, options));
  const all = [
    ...args.problems,
    ...problems,
    ...(operation && request ? [...request.problems, ...inputProblems(operation, listing, request)] : []),
    ...extra,
    ...requireListingKeys(keys, resolution, shaInput, numInput),
  ];
  const configId = values.get(CONFIG_ID);
  if (all.length > 0 || !connection || !configId || !request)
    return { ok: false, exitCode: reportInputProblems(all, name, out) };
  if (keys.note) out.warn(keys.note);
  return {
    ok: true,
    value: {
      connection,
      ciConfigId: { ...configId, id: Number(configId.value) },
      keys: { prSha: keys.prSha, prNum: keys.prNum },
      args: request.args,
      keyNames: { prSha: shaInput?.name ?? "pr_sha", prNum: numInput?.name ?? "pr_num" },
    },
  };
}

/**
 * How to list the PR's runs: by full head SHA (an abbreviated one expanded with git), else by PR number,
 * since the list's `pr_sha` matches whole SHAs only. `note` says when a SHA had to be given up.
 */
export async function listingKeys(resolution: Resolution): Promise<ListingKeys & { readonly note?: string }> {
  const sha = valueOfFact(resolution, "pr_sha");
  const prNum = valueOfFact(resolution, "pr_number")?.value;
  if (sha && FULL_SHA.test(sha.value)) return { prSha: sha.value.toLowerCase() };
  if (sha) {
    const expanded = await expandCommit(resolution.git, sha.value);
    if (expanded.ok) return { prSha: expanded.sha };
    const note = `${describe(sha)} is "${sha.value}", not a full SHA, and git could not expand it (${expanded.reason})`;
    return prNum === undefined
      ? { note }
      : { prNum, note: `${note}: listing runs by PR number ${prNum} instead` };
  }
  return prNum === undefined ? {} : { prNum };
}

/** The list query for `keys`: the SHA when a full one is known, else the PR number. */
export function listQuery(listing: RunListing): Record<string, string | null> {
  const { keys, keyNames } = listing;
  return keys.prSha ? { [keyNames.prSha]: keys.prSha } : { [keyNames.prNum]: keys.prNum ?? null };
}

/** `pr_sha 1a2b3c4d5e6f` or `PR number 7`, for messages. */
export function describeListing(keys: ListingKeys): string {
  return keys.prSha ? `pr_sha ${keys.prSha.slice(0, 12)}` : `PR number ${keys.prNum}`;
}

/** A problem when neither a SHA nor a PR number is known to list the runs by. */
function requireListingKeys(
  keys: ListingKeys & { readonly note?: string },
  resolution: Resolution,
  shaInput: CliInput | undefined,
  numInput: CliInput | undefined,
): string[] {
  if (keys.prSha || keys.prNum) return [];
  const { provider } = resolution.detection;
  const where = provider
    ? `${provider.name} was detected, but this build is not ${provider.prBuild}`
    : "no CI system was detected";
  const flags = [
    shaInput && `${shaInput.flag} <full sha>`,
    numInput && `${numInput.flag} ${numInput.placeholder}`,
  ].filter(Boolean);
  return [
    `the PR is unknown (${where}${keys.note ? `; ${keys.note}` : ""}): pass ${flags.join(" or ")} to list its runs.`,
  ];
}

function describe(value: SourcedValue): string {
  return describeSource(value.source);
}
