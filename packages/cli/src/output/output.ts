import { redactSecret } from "@datafold-ci/api-description";
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

/** The variables a proxy URL, and the password in it, may come from. */
const PROXY_VARIABLES = ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"];

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
  for (const name of PROXY_VARIABLES) for (const password of proxyPasswords(env[name])) hide(password);
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

/** The password of a proxy URL, as written and percent-decoded; none when it has none or is no URL. */
function proxyPasswords(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  let url: URL;
  try {
    // A proxy given without a scheme (`user:pw@proxy:3128`) is read as curl reads it, as http://.
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value.trim()) ? value.trim() : `http://${value.trim()}`);
  } catch {
    return [];
  }
  if (url.password === "") return [];
  let decoded = url.password;
  try {
    decoded = decodeURIComponent(url.password);
  } catch {
    // A malformed escape: the password as written is all there is to hide.
  }
  return [...new Set([url.password, decoded])];
}
