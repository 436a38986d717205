import type { FlagSpec } from "../types.js";

// The CLI's own flags: how to reach Datafold, how to wait, what to print. The flags of the values a command
// sends come from its operation (`generated/`, read by `inputs.ts`). Data only, importable without side
// effects: `pnpm generate` reads it to refuse an operation input whose flag or variable would take one of these.

/** Per-attempt timeout, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** Retries after the first attempt. */
export const DEFAULT_RETRIES = 2;
/** The most `--retries` accepts: more would keep a pipeline waiting for minutes. */
export const MAX_RETRIES = 10;
/** The longest `--timeout` and `--max-time` accept, in seconds. */
export const MAX_TIMEOUT_SECONDS = 3600;
/**
 * The most one request may take in all, retries included, in seconds: the client's
 * `clientDefaults.totalTimeoutMs` (a test holds the two equal). A number here, so `--help` loads no client.
 */
export const DEFAULT_MAX_TIME_SECONDS = 120;

/** The longest wait `--wait-timeout` accepts by default, in seconds: the official SDK's one hour. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
/** The first wait between polls, in seconds; later ones grow to 15 s. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 2;

/** The CLI's own flags, in `--help` order (after the command's value flags); each command accepts those it names. */
export const CLI_FLAGS: readonly FlagSpec[] = [
  {
    name: "host",
    type: "string",
    placeholder: "<url>",
    env: "DATAFOLD_HOST",
    description: "Datafold's URL, with scheme (https://eu.datafold.com, or a dedicated deployment)",
  },
  {
    name: "allow-insecure-http",
    type: "boolean",
    description: "allow plain http:// to a host that is not loopback (sends the key unencrypted)",
  },
  {
    name: "timeout",
    type: "string",
    placeholder: "<seconds>",
    default: String(DEFAULT_TIMEOUT_SECONDS),
    description: `how long each attempt may take, in seconds (decimals allowed, e.g. 2.5; at most ${MAX_TIMEOUT_SECONDS})`,
  },
  {
    name: "max-time",
    type: "string",
    placeholder: "<seconds>",
    default: String(DEFAULT_MAX_TIME_SECONDS),
    // Named after curl's flag of the same meaning; what a request covers is in each command's `flagNotes`.
    description: `the most each request to Datafold may take in all, every attempt and the waits between them included, in seconds (at most ${MAX_TIMEOUT_SECONDS})`,
  },
  {
    name: "retries",
    type: "string",
    placeholder: "<n>",
    default: String(DEFAULT_RETRIES),
    // What is retried comes from the client's policy, in each command's `flagNotes`: loading the client
    // here would make every `--help` pay for it.
    description: `0 to ${MAX_RETRIES} retries of a failed call, 0 turns them off`,
  },
  {
    name: "require-run",
    type: "boolean",
    description: "exit 3 when Datafold accepts the call but starts no run",
  },
  {
    name: "no-run-check",
    type: "boolean",
    description:
      "skip the list of the PR's runs before the trigger (one call) that lets a retry after a lost answer find the run instead of starting a second",
  },
  {
    name: "skip-outside-pr",
    type: "boolean",
    description:
      "outside a PR build, print a notice and exit 0 instead of 2 (for steps that also run on pushes)",
  },
  {
    name: "wait",
    type: "boolean",
    description: "wait for the run to end; exit 4 if it failed, 5 if cancelled, 6 on --wait-timeout",
  },
  {
    name: "wait-timeout",
    type: "string",
    placeholder: "<seconds>",
    default: String(DEFAULT_WAIT_TIMEOUT_SECONDS),
    description: "how long to wait for the run to end, in seconds",
  },
  {
    name: "poll-interval",
    type: "string",
    placeholder: "<seconds>",
    default: String(DEFAULT_POLL_INTERVAL_SECONDS),
    description:
      "the first wait between status checks; later waits grow to 15 s (a 429's Retry-After is obeyed)",
  },
  {
    name: "ci-run-id",
    type: "string",
    placeholder: "<id>",
    env: "DATAFOLD_CI_RUN_ID",
    default: "the PR's newest run",
    description: "the run to wait for: the ci_run_id that trigger printed",
  },
  {
    name: "json",
    type: "boolean",
    description:
      'print the result as one JSON document on stdout, and nothing else; a failure as { "error": { kind, message, exitCode, request } }',
  },
  {
    name: "dry-run",
    type: "boolean",
    description: "print the request (key redacted) and where each value came from; send nothing",
  },
  {
    name: "quiet",
    short: "q",
    type: "boolean",
    description: "print nothing on success; warnings and errors still go to stderr",
  },
  {
    name: "debug",
    type: "boolean",
    description:
      "explain each step on stderr (the key redacted): the plan's worst case, each request, a failure's cause chain, stack traces of unexpected errors",
  },
  { name: "help", short: "h", type: "boolean", description: "show this help" },
  { name: "version", type: "boolean", description: "print the version" },
];

/** Flags every command takes. */
export const ALWAYS_ACCEPTED = ["quiet", "debug", "help", "version"] as const;

/** The flags of every command that talks to Datafold. */
export const CONNECTION_FLAGS = ["host", "allow-insecure-http", "timeout", "max-time", "retries"] as const;

/** The variables the CLI's own flags read; an operation input must not read one of them. */
export const CLI_VARIABLES: readonly string[] = CLI_FLAGS.flatMap((flag) => (flag.env ? [flag.env] : []));
