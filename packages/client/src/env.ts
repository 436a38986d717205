/** Environment variables, as far as the runtime exposes them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** `process.env` where `process` exists (Node, Bun, Deno 2), else nothing (browsers, workers). */
export function defaultEnv(): Env {
  return (globalThis as { process?: { env?: Env } }).process?.env ?? {};
}

/** A variable's value as set, possibly blank; `undefined` when unset or unreadable. */
export function readEnv(env: Env, name: string): string | undefined {
  try {
    return env[name];
  } catch {
    // Deno's process.env throws without --allow-env; treat the variable as unset.
    return undefined;
  }
}

/**
 * The first of `names` with a non-blank value. Blank counts as unset: a CI secret that is not
 * available often arrives as "" (GitHub Actions renders `${{ secrets.MISSING }}` that way).
 */
export function firstSetEnv(env: Env, names: readonly string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = readEnv(env, name);
    if (value?.trim()) return { name, value };
  }
  return undefined;
}
