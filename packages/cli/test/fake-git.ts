import type { GitResult, GitRunner } from "../src/types.js";

/** A git that answers from a table keyed by the joined arguments; anything else fails like git does. */
export function fakeGit(answers: Record<string, GitResult | string> = {}): GitRunner & { calls: string[] } {
  const calls: string[] = [];
  const git = async (args: readonly string[]): Promise<GitResult> => {
    const key = args.join(" ");
    calls.push(key);
    const answer = answers[key];
    if (answer === undefined) return { ok: false, reason: "failed", stderr: `fatal: no answer for ${key}` };
    return typeof answer === "string" ? { ok: true, stdout: answer } : answer;
  };
  return Object.assign(git, { calls });
}

/** A machine without git. */
export const noGit: GitRunner = async () => ({ ok: false, reason: "missing", stderr: "" });
