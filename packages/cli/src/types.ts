/**
 * The CLI's shared vocabulary, types only: what every layer (`args/`, `core/`, `commands/`, `ci/`, `git/`,
 * `output/`) passes to the next. Nothing here exists at run time, so any module may import it without
 * making an import circle.
 */
import type { Runtime } from "@datafold-ci/client";
import type { ExitCode } from "./exit-codes.js";

/**
 * Environment variables as a CI system sets them. Values are read without the whitespace around them; an
 * empty one counts as unset (CI systems define unused variables as empty).
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** A stream the CLI writes to: `process.stdout`, `process.stderr`, or a test's collector. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** The signals a wait stops on; `process` by default. */
export interface SignalSource {
  on(event: "SIGINT" | "SIGTERM", listener: () => void): unknown;
  off(event: "SIGINT" | "SIGTERM", listener: () => void): unknown;
}

/** The outcome of one git command. */
export type GitResult =
  | { readonly ok: true; readonly stdout: string }
  | {
      readonly ok: false;
      /** `missing`: git is not installed; `timeout`: it did not finish in time; `failed`: it exited non-zero. */
      readonly reason: "missing" | "timeout" | "failed";
      readonly stderr: string;
    };

/** Runs `git` with `args`. Injected so detection can be tested without a repository. */
export type GitRunner = (args: readonly string[]) => Promise<GitResult>;

/** Everything `datafold-ci` reads from the outside world, injectable for tests and embedding. */
export interface CliOptions {
  /** The arguments after the program name. */
  readonly argv: readonly string[];
  /** Where flags' variables, the API key and the CI's variables are read. */
  readonly env: Env;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Runs git (merge-base, rev-parse). @default the real git, in `cwd` */
  readonly git?: GitRunner;
  /** Reads a UTF-8 file (GitHub's event payload, `--diffs`). @default node:fs/promises readFile */
  readonly readFile?: (path: string) => Promise<string>;
  /** The `fetch` the client sends with. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** The repository's working directory, for git. @default process.cwd() */
  readonly cwd?: string;
  /** Where SIGINT and SIGTERM are heard while waiting for a run. @default process */
  readonly signals?: SignalSource;
  /** The clock, sleep and dice of the wait's polling; a fake clock in tests. @default real time */
  readonly runtime?: Runtime;
  /** Read as a file input (`submit`'s diffs) when neither its flag nor its variable is given. @default process.stdin */
  readonly stdin?: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
}

/**
 * What failed, as `--json` reports it on stdout: `usage` (exit 2: a flag, a value or an input; nothing was
 * sent); what Datafold answered (`auth` 401/403, `not-found` 404, `validation` 422, `rate-limit` 429, `server`
 * 5xx, `http` any other status, `invalid-response` a success answer that is not Datafold's); why no answer came
 * (`timeout`, and the connection kinds `proxy`, `tls`, `dns`, `connect`, `reset`); `run-not-listed` (the run
 * waited for never appeared in the PR's runs); `no-runs` (the PR has no run to wait for); `failed` (any other
 * exit 1); `internal` (exit 70, a bug).
 */
export type ErrorKind =
  | "usage"
  | "auth"
  | "not-found"
  | "validation"
  | "rate-limit"
  | "server"
  | "http"
  | "invalid-response"
  | "timeout"
  | "proxy"
  | "tls"
  | "dns"
  | "connect"
  | "reset"
  | "run-not-listed"
  | "no-runs"
  | "failed"
  | "internal";

/** The request a failure came from, as `--json` reports it. */
export interface FailedRequest {
  /** The client method, e.g. `triggerPrRun`. */
  readonly operation: string;
  /** `POST`. */
  readonly method: string;
  /** The URL, key never included. */
  readonly url: string;
  /** Attempts made. */
  readonly attempts?: number;
  /** Datafold's status, when it answered. */
  readonly status?: number;
}

/** A failure as `--json` prints it on stdout: `{ "error": { kind, message, exitCode, request } }`. */
export interface ErrorReport {
  readonly kind: ErrorKind;
  /** The message stderr shows (without `error: `), secrets redacted. */
  readonly message: string;
  readonly exitCode: ExitCode;
  /** The request that failed; `null` when none was sent or none is to blame. */
  readonly request: FailedRequest | null;
  /** For a usage error: each problem, as stderr lists them. */
  readonly problems?: readonly string[];
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
  /**
   * With `--json`, prints `{ ...document, error: report }` as the one JSON document on stdout (nothing
   * without `--json`, or once a document was printed). The message goes to stderr separately, by `error`.
   */
  failed(report: ErrorReport, document?: Readonly<Record<string, unknown>>): void;
  /**
   * Called once with the command's exit code: with `--json`, a failure (1, 2, 70) that printed no document
   * still gets one, made from the error lines printed.
   */
  finish(exitCode: ExitCode): void;
  readonly debugEnabled: boolean;
}

/**
 * Which commit a base SHA is. CI systems differ: GitHub's `pull_request.base.sha` and Bitbucket's
 * destination commit are the tip of the PR's target branch; GitLab's `CI_MERGE_REQUEST_DIFF_BASE_SHA` and
 * `git merge-base` are the merge base of the PR and its target. Each is sent as the CI gives it (Datafold's
 * own docs send `base.sha` for GitHub): the kind is only reported, by the provider's data and the git
 * fallback, never guessed from a provider's id.
 */
export type BaseShaKind = "base branch tip" | "merge base";

/**
 * Where a value came from, so `--dry-run` and every error message can say it.
 *
 * - `flag`: a command-line flag (`name` is the flag as typed, e.g. `--pr-number`).
 * - `env`: a `DATAFOLD_*` environment variable (`name` is the variable).
 * - `ci`: the CI system (`name` is the variable or event field, `provider` the CI's name).
 * - `git`: a git command run for the value (`name` is the command line).
 * - `default`: the CLI's default.
 * - `stdin`: standard input, for a file input given neither as a flag nor as a variable.
 */
export interface ValueSource {
  readonly kind: "flag" | "env" | "ci" | "git" | "default" | "stdin";
  readonly name: string;
  /** The CI system's display name, for `ci` sources. */
  readonly provider?: string;
  /** What happened to the value on the way, e.g. `expanded with git rev-parse`. */
  readonly detail?: string;
  /** For a base SHA from a CI or git: which commit it is. Absent for a flag or a variable, which do not say. */
  readonly baseShaKind?: BaseShaKind;
}

/** A value and where it came from. Values stay strings until the request is built, as argv and env give them. */
export interface SourcedValue {
  readonly value: string;
  readonly source: ValueSource;
}

/** A parsed value, or the message saying why it is bad (naming the flag or variable and the value). */
export type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** Where an operation input goes: a path or query parameter, a property of an object body, or the whole body. */
export type InputLocation = "path" | "query" | "property" | "body";

/**
 * How the text of a flag or variable becomes the value sent: `integer` and `number` from decimal digits,
 * `boolean` from `true`/`false`, `array`, `object` and `json` as JSON, `string` as it is. Text that does not
 * convert is sent to the operation's check as it is, which names what was expected.
 */
export type InputType = "integer" | "number" | "boolean" | "string" | "array" | "object" | "json";

/**
 * One input of an operation a command sends, as `pnpm generate` derives it from the spec and the `cli`
 * section of `spec/overrides/<document>.yaml` (scripts/codegen/emit-cli-inputs.ts states the rule).
 */
export interface CliInput {
  /** The input's name on the wire: a parameter's name, a body property's, or the body argument's. */
  readonly name: string;
  readonly in: InputLocation;
  /** Whether the operation cannot be sent without it. */
  readonly required: boolean;
  readonly type: InputType;
  /** The flag, e.g. `--pr-num`. */
  readonly flag: `--${string}`;
  /** Other spellings of the same flag, e.g. `--pr-number`. */
  readonly aliases: readonly `--${string}`[];
  /** The environment variable read when the flag is absent, e.g. `DATAFOLD_PR_NUMBER`. */
  readonly env: string;
  /** What the value is, for `--help` and messages. */
  readonly label: string;
  /** The value's placeholder in `--help`, e.g. `<sha>`. */
  readonly placeholder: string;
  /** The CI fact that supplies the value when neither flag nor variable does; absent: the fact named like the input, if any. */
  readonly fact?: string;
  /** Sent when neither flag nor variable gives a value (a CLI default, not the spec's). */
  readonly default?: string | number | boolean;
  /** Bounds the CLI holds a number to, beyond what the spec says. */
  readonly minimum?: number;
  readonly maximum?: number;
  /** The flag or variable names a file holding the value as JSON; without either, the value is read from stdin. */
  readonly file?: boolean;
  /** An example value, for messages about a malformed one. */
  readonly example?: string;
}

/** One positional argument of a client method: a path parameter, the body, or the query object. */
export type MethodSlot =
  | { readonly in: "path"; readonly parameter: string }
  | {
      readonly in: "body";
      /** The argument's name (`details`, `diffs`): the client's messages name body fields after it. */
      readonly name: string;
    }
  | { readonly in: "query" };

/** An operation a command sends, with its inputs in the order `--help` and the request list them. */
export interface OperationInputs {
  /** `POST /api/v1/ci/{ci_config_id}/trigger`. */
  readonly operation: string;
  /** The client method that sends it, e.g. `triggerPrRun`. */
  readonly method: string;
  /** The method's positional arguments (options come after them). */
  readonly arguments: readonly MethodSlot[];
  /** Path parameters in path order, query parameters, then the body's properties (required first) or the whole body. */
  readonly inputs: readonly CliInput[];
}

/** One flag as the parser reads it and `--help` lists it. */
export interface FlagSpec {
  /** Canonical long name without dashes, e.g. `pr-num`. */
  readonly name: string;
  /** Other long names for the same flag, without dashes, e.g. `pr-number`. */
  readonly aliases?: readonly string[];
  readonly short?: string;
  readonly type: "string" | "boolean";
  /** Placeholder for the value in `--help`, e.g. `<seconds>`. */
  readonly placeholder?: string;
  /** The environment variable that supplies the value when the flag is absent. */
  readonly env?: string;
  /** The default, as `--help` shows it. */
  readonly default?: string;
  readonly description: string;
}

/** A flag value and the spelling the user typed, e.g. `--pr-number`. */
export interface FlagValue {
  readonly value: string;
  readonly typed: string;
}

/** The command line, checked for shape by `args/`; {@link Arguments} is what it means. */
export interface CommandLine {
  /** A command's name, or `help` / `version`. */
  readonly command: string;
  /** For `help`: the command whose help to show (`datafold-ci trigger --help`, `datafold-ci help runs`). */
  readonly topic?: string;
  /** String flags by canonical name (`pr-num`, also when typed as `--pr-number`). */
  readonly strings: ReadonlyMap<string, FlagValue>;
  /** Boolean flags given, by canonical name. */
  readonly booleans: ReadonlySet<string>;
}

/** The switches of the command line, each `true` when given. */
export interface Switches {
  readonly json: boolean;
  readonly dryRun: boolean;
  readonly wait: boolean;
  readonly requireRun: boolean;
  readonly noRunCheck: boolean;
  readonly skipOutsidePr: boolean;
  readonly quiet: boolean;
  readonly debug: boolean;
}

/** How to reach Datafold: `--host`, `--timeout`, `--max-time`, `--retries`, `--allow-insecure-http`. */
export interface ConnectionSettings {
  /** `--host` when given; without it the client reads `DATAFOLD_HOST`, then the spec's server. */
  readonly host: SourcedValue | undefined;
  /** Per attempt. */
  readonly timeoutSeconds: number;
  /** `--max-time`: per request, every attempt, back-off and (for the trigger) look at the PR's runs included. */
  readonly maxTimeSeconds: number;
  /** Retries after the first attempt. */
  readonly retries: number;
  readonly allowInsecureHttp: boolean;
}

/** `--wait-timeout` and `--poll-interval`, in seconds. */
export interface WaitSettings {
  readonly waitTimeoutSeconds: number;
  readonly pollIntervalSeconds: number;
}

/** A positive id and where it came from. */
export type SourcedId = SourcedValue & { readonly id: number };

/**
 * The command line and the `DATAFOLD_*` variables as typed values: what commands and the core take. Made
 * once, by `args/`; a setting whose value is bad keeps its default, and its problem is in `problems`.
 */
export interface Arguments {
  readonly switches: Switches;
  readonly connection: ConnectionSettings;
  readonly wait: WaitSettings;
  /** `--ci-run-id` or `DATAFOLD_CI_RUN_ID`. */
  readonly ciRunId: SourcedId | undefined;
  /** The command's operation inputs given by flag or variable, by input name. */
  readonly inputs: ReadonlyMap<string, SourcedValue>;
  /** Every value that could not be read, each naming its flag or variable and the value. */
  readonly problems: readonly string[];
  /** What `--debug` says about how values were read: each variable read without the whitespace around it. */
  readonly notes: readonly string[];
}

/**
 * One `datafold-ci` command: its help and its behaviour, in one file under `src/commands/`, listed in the
 * entry point's command table.
 */
export interface CliCommand {
  /** `trigger --wait [flags]`-style synopsis, after `datafold-ci `. */
  readonly usage: string;
  /** What the command does, as `--help` explains it (lines). */
  readonly about: readonly string[];
  /**
   * The client method whose operation's inputs are this command's value flags (one of `CI_OPERATION_NAMES`).
   * When this build's spec has no such operation, the command says it is unavailable (exit 2).
   */
  readonly operation: string;
  /** Which of the operation's inputs the command takes; all of them when absent. */
  readonly takesInput?: (input: CliInput) => boolean;
  /** The CLI's own flags it takes, by canonical name (`help`, `quiet`, `debug` are always accepted). */
  readonly flags: readonly string[];
  /**
   * What a flag means for this command in particular, appended to its description in `--help`, by
   * canonical name: what `--retries` retries depends on the calls a command makes.
   */
  readonly flagNotes?: Readonly<Record<string, string>>;
  /**
   * What an exit code means for this command, where the overview's meaning (worded for `trigger`) would
   * mislead: `0` for `runs` is a listing, not a run's outcome.
   */
  readonly exitMeanings?: Readonly<Partial<Record<ExitCode, string>>>;
  /** Example lines for `--help`. */
  readonly examples: readonly string[];
  /**
   * Runs the command: failures are reported through `out` and the exit code, never thrown (a throw is a bug:
   * exit 70).
   */
  run(context: CommandContext): Promise<ExitCode>;
}

/** What a command runs with. */
export interface CommandContext {
  readonly name: string;
  readonly args: Arguments;
  /** The command's operation. */
  readonly operation: OperationInputs;
  /** The operation's inputs the command takes, in its order. */
  readonly inputs: readonly CliInput[];
  readonly options: CliOptions;
  readonly out: Output;
}
