import type { Env, SourcedValue } from "../types.js";
import type { CiContext, CiProvider, CiReading } from "./ci-provider.js";
import {
  type BaseShaSource,
  CI_FACTS,
  type CiFact,
  type FactSource,
  type ProviderSpec,
  type VariableTest,
} from "./provider-spec.js";
import { ciVariable, envValue } from "./read-variable.js";

/** The one reader of every provider: a {@link ProviderSpec} as a {@link CiProvider}. */
export function defineProvider(spec: ProviderSpec): CiProvider {
  const variables = Object.fromEntries(
    CI_FACTS.map((field) => [field, spec.labels?.[field] ?? describeSources(spec, spec.facts[field])]),
  ) as Record<CiFact, string | undefined>;
  return {
    id: spec.id,
    name: spec.name,
    prBuild: spec.prBuild,
    ...(spec.withheldSecrets && { withheldSecrets: spec.withheldSecrets }),
    variables,
    ...(spec.mergeCheckout && { mergeCheckout: true }),
    isActive: (env) => holds(spec.active, env),
    read: (context) => read(spec, context),
  };
}

async function read(spec: ProviderSpec, { env, readFile }: CiContext): Promise<CiReading> {
  if (!spec.pullRequestWhen.some((test) => holds(test, env)))
    return { pullRequest: false, reason: whyNot(spec.pullRequestWhen, env) };
  const payload =
    spec.payloadFile === undefined ? undefined : await readPayload(env, spec.payloadFile, readFile);
  const values: Partial<Record<CiFact, SourcedValue>> = {};
  const problems: Partial<Record<CiFact, string>> = {};
  for (const field of CI_FACTS) {
    const sources = spec.facts[field];
    let found: SourcedValue | undefined;
    for (const source of sources) {
      found = readSource(spec, source, env, payload?.json);
      if (found) break;
    }
    if (found) values[field] = found;
    else if (payload?.problem !== undefined && sources.some((source) => "payload" in source))
      problems[field] = payload.problem;
  }
  for (const trap of spec.traps ?? [])
    if (values[trap.field] === undefined && holds(trap.when, env))
      problems[trap.field] = typeof trap.message === "string" ? trap.message : trap.message(env);
  return { pullRequest: true, values, problems };
}

function readSource(
  spec: ProviderSpec,
  source: FactSource | BaseShaSource,
  env: Env,
  json: unknown,
): SourcedValue | undefined {
  const found = readValue(spec, source, env, json);
  // A base SHA's source says which commit it is, for --dry-run and --debug.
  return found && "baseShaKind" in source
    ? { ...found, source: { ...found.source, baseShaKind: source.baseShaKind } }
    : found;
}

function readValue(
  spec: ProviderSpec,
  source: FactSource,
  env: Env,
  json: unknown,
): SourcedValue | undefined {
  if ("variable" in source) {
    if (source.unless && holds(source.unless, env)) return undefined;
    return ciVariable(env, spec.name, source.variable, source.transform);
  }
  const value = source.payload.split(".").reduce<unknown>(member, json);
  if (!(typeof value === "string" || (typeof value === "number" && Number.isFinite(value)))) return undefined;
  return {
    value: String(value),
    source: { kind: "ci", name: `${source.payload} in $${spec.payloadFile}`, provider: spec.name },
  };
}

function holds(test: VariableTest, env: Env): boolean {
  const value = envValue(env, test.variable);
  if (value === undefined || value === test.isNot) return false;
  if (test.is === undefined) return true;
  return typeof test.is === "string" ? value === test.is : test.is.test(value);
}

/** `GITHUB_EVENT_NAME is "push"`, or `CI_PIPELINE_SOURCE and CI_MERGE_REQUEST_IID are not set`. */
function whyNot(tests: readonly VariableTest[], env: Env): string {
  const set = tests.find((test) => envValue(env, test.variable) !== undefined);
  if (set) return `${set.variable} is "${envValue(env, set.variable)}"`;
  const names = [...new Set(tests.map((test) => test.variable))];
  return `${names.join(" and ")} ${names.length > 1 ? "are" : "is"} not set`;
}

function describeSources(spec: ProviderSpec, sources: readonly FactSource[]): string | undefined {
  if (sources.length === 0) return undefined;
  return sources
    .map((source) =>
      "variable" in source
        ? `${source.variable}${source.note ? ` ${source.note}` : ""}`
        : `${source.payload} in $${spec.payloadFile}`,
    )
    .join(" or ");
}

function member(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

async function readPayload(
  env: Env,
  variable: string,
  readFile: (path: string) => Promise<string>,
): Promise<{ json: unknown; problem?: string }> {
  const path = envValue(env, variable);
  if (path === undefined) return { json: undefined, problem: `${variable} is not set` };
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
