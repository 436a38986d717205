import { inspect } from "node:util";

const secrets = new Set<string>();
const errors: unknown[] = [];

/** A fresh API key for one test, remembered so the leak check can look for it. */
export function testKey(label = "unit"): string {
  const key = `dfk_${label}_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  secrets.add(key);
  return key;
}

/** Remembers a key made elsewhere (the mock server's). */
export function rememberSecret(key: string): string {
  secrets.add(key);
  return key;
}

/** The rejection of `promise`, remembered for the leak check; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    errors.push(error);
    return error as Error;
  }
  throw new Error("expected a rejection, got a result");
}

/** The error `fn` throws, remembered for the leak check; fails when it returns. */
export function thrownBy(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    errors.push(error);
    return error as Error;
  }
  throw new Error("expected an exception, got a result");
}

/** Every way an error gets printed: message, stack, cause chain, JSON, util.inspect. */
export function serialisations(error: unknown): string[] {
  const out: string[] = [inspect(error, { depth: 10, showHidden: true }), String(error)];
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    if (current instanceof Error) out.push(current.message, current.stack ?? "");
    try {
      out.push(JSON.stringify(current) ?? "");
    } catch {}
    current = (current as { cause?: unknown }).cause;
  }
  return out;
}

/** Every remembered error, with every remembered key found in its serialisations. */
export function leaks(): { error: unknown; secret: string }[] {
  const found: { error: unknown; secret: string }[] = [];
  for (const error of errors) {
    const text = serialisations(error).join("\n");
    for (const secret of secrets) if (text.includes(secret)) found.push({ error, secret });
  }
  return found;
}

/** How many errors were remembered. */
export function rememberedErrorCount(): number {
  return errors.length;
}
