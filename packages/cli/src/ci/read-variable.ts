import type { Env, SourcedValue } from "../types.js";

/**
 * `env[name]` without the whitespace around it, when that leaves something: a value pasted into a CI's
 * settings often ends in a line break, and CI systems define unused variables as empty.
 */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** What `--debug` and a value's source say about a variable {@link envValue} trimmed. */
export const TRIMMED = "trimmed";

/** Whether `env[name]` has whitespace around a value ({@link envValue} reads it without). */
export function isTrimmed(env: Env, name: string): boolean {
  const value = env[name];
  return value !== undefined && value.trim() !== "" && value.trim() !== value;
}

/**
 * Reads a CI variable as a sourced value; `transform` may reshape it (strip `refs/heads/`, take a URL's
 * trailing number) and return `undefined` when the value has no usable fact.
 */
export function ciVariable(
  env: Env,
  provider: string,
  name: string,
  transform?: (value: string) => string | undefined,
): SourcedValue | undefined {
  const raw = envValue(env, name);
  if (raw === undefined) return undefined;
  const value = transform ? transform(raw) : raw;
  if (value === undefined) return undefined;
  return { value, source: { kind: "ci", name, provider, ...(isTrimmed(env, name) && { detail: TRIMMED }) } };
}
