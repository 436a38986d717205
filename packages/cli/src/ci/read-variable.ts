import type { SourcedValue } from "../value-source.js";
import type { Env } from "./ci-provider.js";

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

/** The first of `names` that is set, as a sourced value. */
export function firstCiVariable(
  env: Env,
  provider: string,
  names: readonly string[],
): SourcedValue | undefined {
  for (const name of names) {
    const found = ciVariable(env, provider, name);
    if (found) return found;
  }
  return undefined;
}

/** Drops the `undefined` entries, so a reading lists only the facts found. */
export function definedValues<K extends string>(
  values: Readonly<Record<K, SourcedValue | undefined>>,
): Partial<Record<K, SourcedValue>> {
  const out: Partial<Record<K, SourcedValue>> = {};
  for (const [key, value] of Object.entries(values) as [K, SourcedValue | undefined][])
    if (value !== undefined) out[key] = value;
  return out;
}
