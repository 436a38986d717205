import { readFile as readFileFromDisk } from "node:fs/promises";
import { type CiDetection, detectCi } from "./ci/detect-ci.js";
import type { CliOptions } from "./cli-options.js";
import { expandCommit, FULL_SHA } from "./git/git-lookup.js";
import { createGitRunner, type GitRunner } from "./git/git-runner.js";
import type { CommandLine } from "./parse-command-line.js";
import { resolveTriggerValues, type TriggerValues } from "./resolve-trigger-values.js";
import { describeSource, type SourcedValue } from "./value-source.js";

/** The CI detected and the PR values found (flags, `DATAFOLD_*`, the CI, git), for every command. */
export interface ResolvedPr {
  readonly detection: CiDetection;
  readonly resolved: TriggerValues;
  readonly git: GitRunner;
}

/** Detects the CI and resolves the PR values, as `trigger` sends them and the other commands look them up. */
export async function resolvePr(commandLine: CommandLine, options: CliOptions): Promise<ResolvedPr> {
  const detection = await detectCi({
    env: options.env,
    readFile: options.readFile ?? ((path) => readFileFromDisk(path, "utf8")),
  });
  const git = options.git ?? createGitRunner(options.cwd === undefined ? {} : { cwd: options.cwd });
  const resolved = await resolveTriggerValues({
    flags: commandLine.strings,
    env: options.env,
    detection,
    git,
  });
  return { detection, resolved, git };
}

/** Whether this is no PR build: no CI reports a pull request, so the PR facts can only come from flags. */
export function outsidePrBuild(detection: CiDetection): boolean {
  return !(detection.provider && detection.reading.pullRequest);
}

/**
 * How to list the PR's runs: by full head SHA (an abbreviated one expanded with git), else by PR number,
 * since the list's `pr_sha` matches whole SHAs only. `note` says when a SHA had to be given up.
 */
export async function listingKeys(
  pr: ResolvedPr,
): Promise<{ prSha?: string; prNum?: string; note?: string }> {
  const { pr_sha: sha, pr_number: num } = pr.resolved.values;
  const prNum = num?.value;
  if (sha && FULL_SHA.test(sha.value)) return { prSha: sha.value.toLowerCase() };
  if (sha) {
    const expanded = await expandCommit(pr.git, sha.value);
    if (expanded.ok) return { prSha: expanded.sha };
    const note = `${describe(sha)} is "${sha.value}", not a full SHA, and git could not expand it (${expanded.reason})`;
    return prNum === undefined
      ? { note }
      : { prNum, note: `${note}: listing runs by PR number ${prNum} instead` };
  }
  return prNum === undefined ? {} : { prNum };
}

function describe(value: SourcedValue): string {
  return describeSource(value.source);
}
