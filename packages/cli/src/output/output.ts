import { redactSecret } from "@datafold-ci/api-description";
import type { Env, Output, TextSink } from "../types.js";

/** Options of {@link createOutput}. */
export interface OutputOptions {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Env;
  readonly quiet?: boolean;
  readonly debug?: boolean;
}

/** Whether to colour a stream: only a terminal, and never when `NO_COLOR` is set to anything but "" (no-color.org). */
function useColor(sink: TextSink, env: Env): boolean {
  return sink.isTTY === true && (env.NO_COLOR ?? "") === "" && env.TERM !== "dumb";
}

/** Creates the CLI's {@link Output}. */
export function createOutput({ stdout, stderr, env, quiet = false, debug = false }: OutputOptions): Output {
  const secrets = new Set<string>();
  const color = useColor(stderr, env);
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const redact = (text: string) => {
    let out = text;
    for (const secret of secrets) out = redactSecret(out, secret);
    return out;
  };
  const line = (sink: TextSink, text: string) => sink.write(`${redact(text)}\n`);
  return {
    result: (text) => line(stdout, text),
    info: (text) => quiet || line(stderr, text),
    debug: (text) => debug && line(stderr, paint(2, text)),
    warn: (text) => line(stderr, `${paint(33, "warning:")} ${text}`),
    error: (text) => line(stderr, `${paint(31, "error:")} ${text}`),
    note: (text) => line(stderr, text),
    // Whatever its length: a short key may blank out an ordinary word, the lesser harm than printing it.
    // An empty one hides nothing.
    hide: (secret) => secret !== "" && secrets.add(secret),
    debugEnabled: debug,
  };
}
