import type { Env, SourcedValue } from "../types.js";

/** `env[name]` when set and non-empty. */
export function envValue(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
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
  return value === undefined ? undefined : { value, source: { kind: "ci", name, provider } };
}
