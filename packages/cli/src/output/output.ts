import { redactSecret } from "@datafold-ci/api-description";

/** A stream the CLI writes to: `process.stdout`, `process.stderr`, or a test's collector. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Where and how the CLI prints. Every line passes through the secret filter first. */
export interface Output {
  /** The command's result, on stdout. */
  result(text: string): void;
  /** Progress on stderr; silenced by `--quiet`. */
  info(text: string): void;
  /** Detail on stderr, only with `--debug`. */
  debug(text: string): void;
  /** A warning on stderr, even with `--quiet`. */
  warn(text: string): void;
  /** An error on stderr. */
  error(text: string): void;
  /** A plain line on stderr, even with `--quiet` (a hint after an error). */
  note(text: string): void;
  /**
   * Registers a value that must never be printed (the API key), whatever its length; it is replaced by
   * `[REDACTED]` everywhere. The CLI never puts the key into a message itself: this catches what others
   * echo (a server's answer, a `fetch`'s error, a value the user typed).
   */
  hide(secret: string): void;
  readonly debugEnabled: boolean;
}

/** Options of {@link createOutput}. */
export interface OutputOptions {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly quiet?: boolean;
  readonly debug?: boolean;
}

/** Whether to colour a stream: only a terminal, and never when `NO_COLOR` is set to anything but "" (no-color.org). */
function useColor(sink: TextSink, env: Readonly<Record<string, string | undefined>>): boolean {
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
    // Issue 14: keys shorter than 8 characters used to be skipped, and printed when a server echoed them.
    // A short key may now blank out an ordinary word; that is the lesser harm. An empty one hides nothing.
    hide: (secret) => secret !== "" && secrets.add(secret),
    debugEnabled: debug,
  };
}
