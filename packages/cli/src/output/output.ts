import { redactSecret } from "@datafold-ci/api-description";
import { PROXY_URL_VARIABLES, proxyPasswords } from "../net/proxy-url.js";
import type { Env, ErrorKind, ErrorReport, Output, TextSink } from "../types.js";

/** Options of {@link createOutput}. */
export interface OutputOptions {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Env;
  readonly quiet?: boolean;
  readonly debug?: boolean;
  /** `--json`: stdout holds one JSON document, a failure's too. */
  readonly json?: boolean;
}

/** Whether to colour a stream: only a terminal, and never when `NO_COLOR` is set to anything but "" (no-color.org). */
function useColor(sink: TextSink, env: Env): boolean {
  return sink.isTTY === true && (env.NO_COLOR ?? "") === "" && env.TERM !== "dumb";
}

/** Creates the CLI's {@link Output}. */
export function createOutput({
  stdout,
  stderr,
  env,
  quiet = false,
  debug = false,
  json = false,
}: OutputOptions): Output {
  const secrets = new Set<string>();
  const color = useColor(stderr, env);
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const redact = (text: string) => {
    let out = text;
    for (const secret of secrets) out = redactSecret(out, secret);
    return out;
  };
  const line = (sink: TextSink, text: string) => sink.write(`${redact(text)}\n`);
  // A failure's document under --json is made from what stderr said, unless the command made its own.
  const errors: string[] = [];
  let documentPrinted = false;
  const hide = (secret: string) => {
    // Whatever its length: a short key may blank out an ordinary word, the lesser harm than printing it.
    // An empty one hides nothing.
    if (secret !== "") secrets.add(secret);
  };
  // A proxy's password may come back in a network error's message (a `--debug` cause chain prints them).
  for (const name of PROXY_URL_VARIABLES) for (const password of proxyPasswords(env[name])) hide(password);
  return {
    result: (text) => {
      documentPrinted = true;
      line(stdout, text);
    },
    info: (text) => quiet || line(stderr, text),
    debug: (text) => debug && line(stderr, paint(2, text)),
    warn: (text) => line(stderr, `${paint(33, "warning:")} ${text}`),
    error: (text) => {
      errors.push(text);
      line(stderr, `${paint(31, "error:")} ${text}`);
    },
    note: (text) => line(stderr, text),
    hide,
    failed: (report, document = {}) => {
      if (!json || documentPrinted) return;
      documentPrinted = true;
      line(stdout, JSON.stringify({ ...document, error: errorObject(report, redact) }));
    },
    finish: (exitCode) => {
      if (!json || documentPrinted || !(exitCode in FALLBACK_KINDS)) return;
      const kind = FALLBACK_KINDS[exitCode as keyof typeof FALLBACK_KINDS];
      documentPrinted = true;
      line(
        stdout,
        JSON.stringify({
          error: errorObject(
            {
              kind,
              message: errors.join("; ") || `datafold-ci exited ${exitCode}`,
              exitCode,
              request: null,
              ...(kind === "usage" && { problems: errors }),
            },
            redact,
          ),
        }),
      );
    },
    debugEnabled: debug,
  };
}

/** The kind a failure's document gets when the command did not say more. */
const FALLBACK_KINDS: Readonly<Record<1 | 2 | 70, ErrorKind>> = { 1: "failed", 2: "usage", 70: "internal" };

/** The `error` object, its fields in the documented order, every string redacted. */
function errorObject(report: ErrorReport, redact: (text: string) => string): Record<string, unknown> {
  return {
    kind: report.kind,
    message: redact(report.message),
    exitCode: report.exitCode,
    request: report.request && { ...report.request, url: redact(report.request.url) },
    ...(report.problems && { problems: report.problems.map(redact) }),
  };
}
