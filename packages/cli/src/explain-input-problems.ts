import type { checkTriggerInput } from "@datafold-ci/client";
import type { CiDetection } from "./ci/detect-ci.js";
import { ciProviders } from "./ci/providers.js";
import { ALL_TRIGGER_FIELDS, isTriggerField, TRIGGER_FIELDS, type TriggerField } from "./pr-fields.js";
import type { TriggerValues } from "./resolve-trigger-values.js";
import { describeSource } from "./value-source.js";

/** The client's `checkTriggerInput`, injected so this module loads without the client. */
export type CheckTriggerInput = typeof checkTriggerInput;

// A commit SHA as git prints it, abbreviated (7+) or full (SHA-1 40, SHA-256 64). The spec only says
// "string"; a value that is no SHA (a branch name, "HEAD") would start a run Datafold cannot check out.
const SHA = /^[0-9a-f]{7,64}$/i;

/** The request the values make: integers parsed from their decimal strings, anything else left for the check to reject. */
export function toRequestInput(values: TriggerValues["values"]): {
  ciConfigId: unknown;
  details: Record<string, unknown>;
} {
  const read = (field: TriggerField): unknown => {
    const raw = values[field]?.value;
    return raw !== undefined && TRIGGER_FIELDS[field].kind === "integer" && /^\d+$/.test(raw)
      ? Number(raw)
      : raw;
  };
  const details: Record<string, unknown> = {};
  for (const field of ALL_TRIGGER_FIELDS) if (field !== "ci_config_id") details[field] = read(field);
  return { ciConfigId: read("ci_config_id"), details };
}

/**
 * Every problem with the trigger values, each as one message that names the flag, the variables
 * that could have supplied the value, and where a bad value came from. Empty when the request can be sent.
 */
export function explainInputProblems(
  resolved: TriggerValues,
  detection: CiDetection,
  check: CheckTriggerInput,
): string[] {
  const { ciConfigId, details } = toRequestInput(resolved.values);
  const messages: string[] = [];
  const missing: TriggerField[] = [];
  const reported = new Set<string>();
  const order = (field: string) => (isTriggerField(field) ? ALL_TRIGGER_FIELDS.indexOf(field) : -1);
  const issues = [...check(ciConfigId, details)].sort((a, b) => order(a.field) - order(b.field));
  for (const issue of issues) {
    const field = isTriggerField(issue.field) ? issue.field : undefined;
    if (field === undefined) {
      messages.push(`${issue.field}: ${issue.message}`);
      continue;
    }
    if (reported.has(field)) continue;
    reported.add(field);
    const found = resolved.values[field];
    if (found === undefined) missing.push(field);
    else
      messages.push(`${TRIGGER_FIELDS[field].flag} (from ${describeSource(found.source)}): ${issue.message}`);
  }
  for (const field of ["pr_sha", "base_sha"] as const) {
    const found = resolved.values[field];
    if (found && !reported.has(field) && !SHA.test(found.value))
      messages.push(
        `${TRIGGER_FIELDS[field].flag} (from ${describeSource(found.source)}): expected a commit SHA of 7 to 64 hexadecimal digits (got ${JSON.stringify(found.value)})`,
      );
  }
  if (missing.length > 0) messages.push(summarise(missing, detection));
  messages.push(...missing.map((field) => explainMissing(field, resolved.gaps[field], detection)));
  return messages;
}

function explainMissing(field: TriggerField, gap: string | undefined, detection: CiDetection): string {
  const spec = TRIGGER_FIELDS[field];
  const head = `${spec.flag} is missing (${spec.label}): pass ${spec.flag} or set ${spec.env}`;
  if (field === "ci_config_id") return `${head}; it is the id of the CI config in Datafold's CI settings.`;
  const { provider } = detection;
  let where: string | undefined;
  if (!provider) {
    const sources = ciProviders.flatMap((p) =>
      p.variables[field] ? [`${p.variables[field]} (${p.name})`] : [],
    );
    where = `in a PR build it is read from ${sources.join(", ")}`;
  } else {
    const variable = provider.variables[field];
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

function summarise(missing: readonly TriggerField[], detection: CiDetection): string {
  const flags = missing.map((field) => TRIGGER_FIELDS[field].flag).join(", ");
  const { provider } = detection;
  if (!provider)
    return `No CI system was detected (looked for ${ciProviders.map((p) => p.name).join(", ")}): pass ${flags}.`;
  if (!detection.reading.pullRequest)
    return `${provider.name} was detected, but this build is not ${provider.prBuild}: ${detection.reading.reason}. To trigger a run from it anyway, pass ${flags}.`;
  return `${provider.name} was detected, in a PR build, but did not supply everything: pass ${flags}.`;
}
