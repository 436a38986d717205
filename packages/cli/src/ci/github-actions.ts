import type { PrField } from "../pr-fields.js";
import type { SourcedValue } from "../value-source.js";
import type { CiProvider, CiReading } from "./ci-provider.js";
import { ciVariable, definedValues, envValue } from "./read-variable.js";

const NAME = "GitHub Actions";
const PR_EVENTS = new Set(["pull_request", "pull_request_target"]);

/**
 * GitHub Actions: the PR facts are in the event payload at `$GITHUB_EVENT_PATH`.
 * Never `GITHUB_SHA`: on pull_request events it is the test merge commit, not the PR head
 * (Datafold's own docs warn against `github.sha`).
 */
export const githubActions: CiProvider = {
  id: "github-actions",
  name: NAME,
  prBuild: "a workflow run for a pull_request or pull_request_target event",
  variables: {
    pr_number: "pull_request.number in $GITHUB_EVENT_PATH",
    pr_branch: "pull_request.head.ref in $GITHUB_EVENT_PATH, or GITHUB_HEAD_REF",
    base_branch: "pull_request.base.ref in $GITHUB_EVENT_PATH, or GITHUB_BASE_REF",
    pr_sha: "pull_request.head.sha in $GITHUB_EVENT_PATH",
    base_sha: "pull_request.base.sha in $GITHUB_EVENT_PATH",
  },
  isActive: (env) => env.GITHUB_ACTIONS === "true",
  async read({ env, readFile }): Promise<CiReading> {
    const event = envValue(env, "GITHUB_EVENT_NAME");
    if (event === undefined || !PR_EVENTS.has(event))
      return {
        pullRequest: false,
        reason: event === undefined ? "GITHUB_EVENT_NAME is not set" : `GITHUB_EVENT_NAME is "${event}"`,
      };
    const payload = await readPayload(envValue(env, "GITHUB_EVENT_PATH"), readFile);
    const fromPayload = (path: readonly string[], value: unknown): SourcedValue | undefined =>
      typeof value === "string" || (typeof value === "number" && Number.isFinite(value))
        ? {
            value: String(value),
            source: { kind: "ci", name: `${path.join(".")} in $GITHUB_EVENT_PATH`, provider: NAME },
          }
        : undefined;
    const at = (...path: string[]) => fromPayload(path, path.reduce<unknown>(field, payload.json));
    const values = definedValues<PrField>({
      pr_number: at("pull_request", "number") ?? at("number"),
      pr_branch: at("pull_request", "head", "ref") ?? ciVariable(env, NAME, "GITHUB_HEAD_REF"),
      base_branch: at("pull_request", "base", "ref") ?? ciVariable(env, NAME, "GITHUB_BASE_REF"),
      pr_sha: at("pull_request", "head", "sha"),
      base_sha: at("pull_request", "base", "sha"),
    });
    const problems: Partial<Record<PrField, string>> = {};
    if (payload.problem !== undefined)
      for (const key of ["pr_number", "pr_sha", "base_sha"] as const)
        if (values[key] === undefined) problems[key] = payload.problem;
    return { pullRequest: true, values, problems };
  },
};

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

async function readPayload(
  path: string | undefined,
  readFile: (path: string) => Promise<string>,
): Promise<{ json: unknown; problem?: string }> {
  if (path === undefined) return { json: undefined, problem: "GITHUB_EVENT_PATH is not set" };
  let text: string;
  try {
    text = await readFile(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      json: undefined,
      problem: `the event payload ${path} could not be read (${String(code ?? error)})`,
    };
  }
  try {
    return { json: JSON.parse(text) };
  } catch {
    return { json: undefined, problem: `the event payload ${path} is not valid JSON` };
  }
}
