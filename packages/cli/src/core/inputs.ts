import { readFile as readFileFromDisk } from "node:fs/promises";
import { inputValue } from "../args/values.js";
import { type CiDetection, detectCi } from "../ci/detect-ci.js";
import { type CiFact, factOf, GIT_FALLBACKS } from "../ci/provider-spec.js";
import { ciProviders } from "../ci/providers.js";
import { expandCommit, FULL_SHA, findMergeBase } from "../git/git-lookup.js";
import { createGitRunner } from "../git/git-runner.js";
import { prHeadOfMergeCheckout } from "../git/merge-checkout.js";
import { describeSource } from "../output/describe.js";
import type { CliInput, CliOptions, GitRunner, OperationInputs, SourcedValue } from "../types.js";
import { checkOperationInput } from "./operations.js";

/**
 * The path parameter every CI operation is keyed by: the CI config's id. Messages about a failed call name
 * it, and the client's `waitForCiRun` takes it as `ciConfigId`. (The override file labels it for each
 * operation, so a rename upstream fails `pnpm generate` rather than reach here.)
 */
export const CONFIG_ID = "ci_config_id";

/** The CI detected and each input's value found (flag, `DATAFOLD_*`, the CI, git, the CLI's default). */
export interface Resolution {
  readonly detection: CiDetection;
  readonly git: GitRunner;
  /** The inputs resolved, in the operation's order. */
  readonly inputs: readonly CliInput[];
  /** Each value found, by input name. */
  readonly values: ReadonlyMap<string, SourcedValue>;
  /** For a value not found: what was tried and failed (a git command, an unreadable payload). */
  readonly gaps: ReadonlyMap<string, string>;
  /** Things the user should know although the value was found. */
  readonly warnings: readonly string[];
}

/**
 * Detects the CI and picks each input's value from, in order: what `args/` read (its flag, then its
 * variable), the CI fact it takes, the CLI's default. Then, for values from the CI only: expands an
 * abbreviated SHA (Bitbucket's destination commit) with `git rev-parse`; replaces a CI's checkout of the PR
 * merged into its target with the PR head; and when no base SHA was found, computes `git merge-base`
 * against the target branch.
 */
export async function resolveInputs(
  inputs: readonly CliInput[],
  given: ReadonlyMap<string, SourcedValue>,
  options: CliOptions,
): Promise<Resolution> {
  const detection = await detectCi({
    env: options.env,
    readFile: options.readFile ?? ((path) => readFileFromDisk(path, "utf8")),
  });
  const git = options.git ?? createGitRunner(options.cwd === undefined ? {} : { cwd: options.cwd });
  const ci = detection.provider && detection.reading.pullRequest ? detection.reading : undefined;
  const values = new Map<string, SourcedValue>();
  const gaps = new Map<string, string>();
  const warnings: string[] = [];
  const withFact = (fact: CiFact) => inputs.find((input) => factOf(input) === fact);

  for (const input of inputs) {
    const fact = factOf(input);
    const found =
      given.get(input.name) ??
      (fact && ci?.values[fact]) ??
      (input.default === undefined
        ? undefined
        : { value: String(input.default), source: { kind: "default" as const, name: "the default" } });
    if (found) values.set(input.name, found);
    else if (fact && ci?.problems[fact] !== undefined) gaps.set(input.name, ci.problems[fact]);
  }
  for (const fact of ["pr_sha", "base_sha"] as const) {
    const input = withFact(fact);
    const found = input && values.get(input.name);
    if (!input || found?.source.kind !== "ci" || FULL_SHA.test(found.value)) continue;
    const expanded = await expandCommit(git, found.value);
    if (expanded.ok)
      values.set(input.name, {
        value: expanded.sha,
        source: { ...found.source, detail: `"${found.value}" expanded with ${expanded.command}` },
      });
    else
      warnings.push(
        `${found.source.name} is "${found.value}", not a full commit SHA, and git could not expand it: ${expanded.reason}. ` +
          `Pass ${input.flag} with the full SHA if Datafold does not find the commit.`,
      );
  }
  const baseBranch = withFact("base_branch");
  const target = (baseBranch && values.get(baseBranch.name)) ?? ci?.values.base_branch;
  const headInput = withFact("pr_sha");
  const head = headInput && values.get(headInput.name);
  if (headInput && head?.source.kind === "ci" && detection.provider?.mergeCheckout && target) {
    const checkout = await prHeadOfMergeCheckout(git, head, target.value);
    if (checkout.ok) values.set(headInput.name, checkout.value);
    else {
      values.delete(headInput.name);
      gaps.set(headInput.name, checkout.reason);
    }
  }
  const baseInput = withFact("base_sha");
  if (baseInput && !values.has(baseInput.name) && !gaps.has(baseInput.name)) {
    if (target === undefined)
      gaps.set(
        baseInput.name,
        `git merge-base needs the target branch (${baseBranch?.flag ?? "--base-branch"})`,
      );
    else {
      const prHead = headInput && values.get(headInput.name);
      const found = await findMergeBase(git, target.value, prHead?.value ?? "HEAD");
      if (found.ok)
        values.set(baseInput.name, {
          value: found.sha,
          source: { kind: "git", name: found.command, baseShaKind: "merge base" },
        });
      else gaps.set(baseInput.name, `git merge-base could not compute it: ${found.reason}`);
    }
  }
  return { detection, git, inputs, values, gaps, warnings };
}

/** The value of the input that takes CI fact `fact`, if it was found. */
export function valueOfFact(resolution: Resolution, fact: CiFact): SourcedValue | undefined {
  const input = resolution.inputs.find((candidate) => factOf(candidate) === fact);
  return input && resolution.values.get(input.name);
}

/** Whether this is no PR build: no CI reports a pull request, so the PR facts can only come from flags. */
export function outsidePrBuild(detection: CiDetection): boolean {
  return !(detection.provider && detection.reading.pullRequest);
}

/** Whether a PR fact the request needs is missing, one git cannot compute (the base SHA) aside. */
export function missingPrFacts(resolution: Resolution): boolean {
  return resolution.inputs.some((input) => {
    const fact = factOf(input);
    return input.required && fact && !GIT_FALLBACKS[fact] && !resolution.values.has(input.name);
  });
}

/** The positional arguments of the operation's client method, and what could not be read for them. */
export interface Request {
  readonly args: readonly unknown[];
  /** Where a file input was read from (`--diffs diffs.json`, `stdin`), by input name, for messages. */
  readonly from: ReadonlyMap<string, string>;
  /** A file input that could not be read or is not the JSON its type says. */
  readonly problems: readonly string[];
  /** The inputs of those problems: the check has nothing to add about them. */
  readonly unread: ReadonlySet<string>;
}

/**
 * The client method's arguments from the values found: each converted by its input's type (`args/values.ts`),
 * a file input read and parsed (from stdin when a required one is given neither by flag nor variable, or
 * is given as `-`), the body's properties gathered into the body, the query parameters into the query
 * object. Values that are not of their type are left for {@link inputProblems} to report. `notice` hears
 * that stdin has stayed silent for a second (a pipe whose writer has not written yet).
 */
export async function buildRequest(
  operation: OperationInputs,
  resolution: Resolution,
  options: CliOptions,
  notice?: (text: string) => void,
): Promise<Request> {
  const converted = new Map<string, unknown>();
  const from = new Map<string, string>();
  const problems: string[] = [];
  const unread = new Set<string>();
  for (const input of resolution.inputs) {
    const found = resolution.values.get(input.name);
    if (!input.file) {
      if (found) converted.set(input.name, inputValue(input, found.value));
      continue;
    }
    if (!found && !input.required) continue;
    const read = await readFileInput(input, found, options, notice);
    from.set(input.name, read.from);
    if (read.ok) converted.set(input.name, read.value);
    else {
      problems.push(read.problem);
      unread.add(input.name);
    }
  }
  const named = (where: CliInput["in"]) =>
    Object.fromEntries(
      resolution.inputs.flatMap((input) =>
        input.in === where && converted.has(input.name) ? [[input.name, converted.get(input.name)]] : [],
      ),
    );
  const args = operation.arguments.map((slot) => {
    if (slot.in === "path") return converted.get(slot.parameter);
    if (slot.in === "body") {
      const whole = resolution.inputs.find((input) => input.in === "body");
      return whole ? converted.get(whole.name) : named("property");
    }
    const query = named("query");
    return Object.keys(query).length > 0 ? query : undefined;
  });
  return { args, from, problems, unread };
}

type FileRead =
  | { readonly ok: true; readonly value: unknown; readonly from: string }
  | { readonly ok: false; readonly problem: string; readonly from: string };

/** How long stdin may stay silent before the CLI says it is waiting for it. */
const STDIN_NOTICE_MS = 1000;

async function readFileInput(
  input: CliInput,
  found: SourcedValue | undefined,
  options: CliOptions,
  notice: ((text: string) => void) | undefined,
): Promise<FileRead> {
  // `-` is standard input, as for the official CLI's `--diffs -` (and most tools that take a file).
  const file = found && found.value !== "-" ? found : undefined;
  const from = file
    ? `${file.source.name} ${file.value}`
    : found
      ? `stdin (${found.source.name} -)`
      : "stdin";
  const expected = `${input.type === "array" ? "a JSON array" : input.type === "object" ? "a JSON object" : "JSON"} of ${input.name}${input.example ? `, e.g. ${input.example}` : ""}`;
  let text: string;
  try {
    if (file) text = await (options.readFile ?? ((path) => readFileFromDisk(path, "utf8")))(file.value);
    else {
      const stdin = options.stdin ?? process.stdin;
      if ((stdin as { isTTY?: boolean }).isTTY)
        return {
          ok: false,
          from,
          problem: found
            ? `${found.source.name} - reads stdin, which is a terminal: pipe the JSON in, or pass ${input.flag} <file>`
            : `no ${input.flag} file was given and stdin is a terminal: pass ${input.flag} <file> or pipe the JSON in`,
        };
      // A pipe whose writer is slow, or never writes (`sleep 100 | datafold-ci submit`), would look like a hang.
      let silence: ReturnType<typeof setTimeout> | undefined =
        notice &&
        setTimeout(
          () =>
            notice(
              `waiting for the ${input.name} on standard input (nothing has come for ${STDIN_NOTICE_MS / 1000} s): ` +
                `pipe the JSON ${input.type === "array" ? "array " : ""}in, or pass ${input.flag} <file>`,
            ),
          STDIN_NOTICE_MS,
        );
      const chunks: string[] = [];
      const decoder = new TextDecoder();
      try {
        for await (const chunk of stdin) {
          clearTimeout(silence);
          silence = undefined;
          chunks.push(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
        }
      } finally {
        clearTimeout(silence);
      }
      text = chunks.join("") + decoder.decode();
    }
  } catch (error) {
    return { ok: false, from, problem: `${from} could not be read: ${(error as Error).message}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      from,
      problem: `${from} is not JSON (${(error as Error).message}): expected ${expected}`,
    };
  }
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  if ((input.type === "array" || input.type === "object") && kind !== input.type)
    return { ok: false, from, problem: `${from} holds ${kind}: expected ${expected}` };
  return { ok: true, value, from };
}

// A commit SHA as git prints it, abbreviated (7+) or full (SHA-1 40, SHA-256 64). The spec only says
// "string"; a value that is no SHA (a branch name, "HEAD") would start a run Datafold cannot check out.
const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * Every problem with the request, each as one message that names the flag, the variables that could have
 * supplied the value, and where a bad value came from: the operation's own check (through the client), a
 * required input nothing supplied, and with `commitShas` a SHA fact that is no commit SHA. Empty when the
 * request can be sent.
 */
export function inputProblems(
  operation: OperationInputs,
  resolution: Resolution,
  request: Request,
  { commitShas = false }: { readonly commitShas?: boolean } = {},
): string[] {
  const { inputs, values } = resolution;
  const messages: string[] = [];
  const missing: CliInput[] = [];
  const reported = new Set<string>();
  const bodyName = operation.arguments.find((slot) => slot.in === "body")?.name;
  const located = (field: string) => locate(field, inputs, bodyName);
  const order = (field: string) => {
    const at = located(field);
    return at ? inputs.indexOf(at.input) : -1;
  };
  const issues = [...checkOperationInput(operation, request.args)].sort(
    (a, b) => order(a.field) - order(b.field),
  );
  for (const issue of issues) {
    const at = located(issue.field);
    if (at === undefined) {
      messages.push(`${issue.field}: ${issue.message}`);
      continue;
    }
    const { input, exact } = at;
    if (request.unread.has(input.name)) continue;
    if (reported.has(exact ? input.name : issue.field)) continue;
    reported.add(exact ? input.name : issue.field);
    const found = values.get(input.name);
    const from = request.from.get(input.name) ?? (found && describeSource(found.source));
    if (found === undefined && from === undefined) {
      if (!missing.includes(input)) missing.push(input);
    } else messages.push(`${exact ? input.flag : issue.field} (from ${from}): ${issue.message}`);
  }
  for (const input of inputs)
    if (
      input.required &&
      !values.has(input.name) &&
      !input.file &&
      !missing.includes(input) &&
      !reported.has(input.name)
    )
      missing.push(input);
  if (commitShas)
    for (const input of inputs) {
      const fact = factOf(input);
      const found = values.get(input.name);
      if (
        (fact === "pr_sha" || fact === "base_sha") &&
        found &&
        !reported.has(input.name) &&
        !SHA.test(found.value)
      )
        messages.push(
          `${input.flag} (from ${describeSource(found.source)}): expected a commit SHA of 7 to 64 hexadecimal digits (got ${JSON.stringify(found.value)})`,
        );
    }
  missing.sort((a, b) => inputs.indexOf(a) - inputs.indexOf(b));
  const summary = summarise(missing, resolution.detection);
  if (summary !== undefined) messages.push(summary);
  messages.push(
    ...missing.map((input) => explainMissing(input, resolution.gaps.get(input.name), resolution.detection)),
  );
  return messages;
}

/**
 * The input a check issue is about: its `field` is the input's name (`pr_branch`, `ci_config_id`), or a path
 * into it (`diffs[0].prod`), perhaps after the body argument or `query` (`details.pr_sha`, `query.limit`).
 */
function locate(
  field: string,
  inputs: readonly CliInput[],
  bodyName: string | undefined,
): { readonly input: CliInput; readonly exact: boolean } | undefined {
  for (const input of inputs) {
    const prefix =
      input.in === "property" && bodyName ? `${bodyName}.` : input.in === "query" ? "query." : "";
    for (const name of new Set([input.name, `${prefix}${input.name}`])) {
      if (field === name) return { input, exact: true };
      if (field.startsWith(`${name}.`) || field.startsWith(`${name}[`)) return { input, exact: false };
    }
  }
  return undefined;
}

function explainMissing(input: CliInput, gap: string | undefined, detection: CiDetection): string {
  const head = `${input.flag} is missing (${input.label}): pass ${input.flag} or set ${input.env}`;
  const fact = factOf(input);
  if (fact === undefined)
    return input.name === CONFIG_ID
      ? `${head}; it is the id of the CI config in Datafold's CI settings.`
      : `${head}; no CI system supplies it.`;
  const { provider } = detection;
  let where: string | undefined;
  if (!provider) {
    const sources = ciProviders.flatMap((p) =>
      p.variables[fact] ? [`${p.variables[fact]} (${p.name})`] : [],
    );
    where =
      sources.length > 0 ? `in a PR build it is read from ${sources.join(", ")}` : "no CI system supplies it";
  } else {
    const variable = provider.variables[fact];
    where =
      variable === undefined
        ? `${provider.name} has no variable for it`
        : detection.reading.pullRequest
          ? // A gap says why a set variable was not used (a merge checkout, a payload that would not parse).
            gap === undefined
            ? `${variable} (${provider.name}) is not set`
            : undefined
          : `in a PR build ${provider.name} supplies it from ${variable}`;
  }
  return `${[head, where, gap].filter(Boolean).join("; ")}.`;
}

/**
 * One line before the missing values' own: why the CI gave none of the PR facts among them. Only the facts
 * a CI could give count (never the config id); in a PR build, only those the detected CI has a variable
 * for, since each of the others says on its own line that this CI has none.
 */
function summarise(missing: readonly CliInput[], detection: CiDetection): string | undefined {
  const { provider } = detection;
  const facts = missing.filter((input) => {
    const fact = factOf(input);
    return fact !== undefined && (!provider || !detection.reading.pullRequest || provider.variables[fact]);
  });
  if (facts.length === 0) return undefined;
  const flags = facts.map((input) => input.flag).join(", ");
  if (!provider)
    return `No CI system was detected (looked for ${ciProviders.map((p) => p.name).join(", ")}): pass ${flags}.`;
  if (!detection.reading.pullRequest)
    return `${provider.name} was detected, but this build is not ${provider.prBuild}: ${detection.reading.reason}. To trigger a run from it anyway, pass ${flags}.`;
  return `${provider.name} was detected, in a PR build, but did not supply every value it has a variable for: pass ${flags}.`;
}
