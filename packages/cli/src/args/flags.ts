import { TRIGGER_FIELDS } from "./pr-fields.js";

/** One flag of `datafold-ci trigger`, as parsed and as `--help` lists it. */
export interface FlagSpec {
  /** Canonical long name without dashes, e.g. `pr-num`. */
  readonly name: string;
  /** Other long names for the same flag, e.g. `pr-number`. */
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

const dropDashes = (flag: string) => flag.slice(2);

/** The default Datafold host: the spec's first server, baked in at build time (the client's `DEFAULT_BASE_URL`). */
export const DEFAULT_HOST: string | undefined = __DEFAULT_BASE_URL__;
/** Per-attempt timeout, in seconds. */
export const DEFAULT_TIMEOUT_SECONDS = 30;
/** Retries after the first attempt. */
export const DEFAULT_RETRIES = 2;
/** The most `--retries` accepts: more would keep a pipeline waiting for minutes. */
export const MAX_RETRIES = 10;
/** The longest `--timeout` accepts, in seconds. */
export const MAX_TIMEOUT_SECONDS = 3600;

const fieldFlags = Object.values(TRIGGER_FIELDS).map((spec): FlagSpec => ({
  name: dropDashes(spec.flag),
  aliases: spec.aliases.map(dropDashes),
  type: "string",
  placeholder: spec.placeholder,
  env: spec.env,
  default: spec.default,
  description: spec.label,
}));

/** The longest wait `--wait-timeout` accepts by default, in seconds: the official SDK's one hour. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 3600;
/** The first wait between polls, in seconds; later ones grow to 15 s. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 2;
/** Runs listed by `runs` unless `--limit` says otherwise. */
export const DEFAULT_RUNS_LIMIT = 20;

/** Every flag of `datafold-ci`, in `--help` order; each command accepts those it names. */
export const FLAGS: readonly FlagSpec[] = [
  ...fieldFlags,
  {
    name: "host",
    type: "string",
    placeholder: "<url>",
    env: "DATAFOLD_HOST",
    default: DEFAULT_HOST ?? "none",
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
    name: "retries",
    type: "string",
    placeholder: "<n>",
    default: String(DEFAULT_RETRIES),
    // What is retried comes from the client's policy, in each command's `flagNotes` (issue 14): loading
    // the client here would make every `--help` pay for it.
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
    name: "limit",
    type: "string",
    placeholder: "<n>",
    default: String(DEFAULT_RUNS_LIMIT),
    description: "how many runs to list, newest first (1 to 1000)",
  },
  {
    name: "diffs",
    type: "string",
    placeholder: "<file>",
    default: "stdin",
    description:
      "a JSON array of diffs ({ prod, pr, pk?, include_columns?, exclude_columns? }), as datafold ci submit takes",
  },
  {
    name: "json",
    type: "boolean",
    description: "print the result as one JSON document on stdout, and nothing else",
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
    description: "explain each step on stderr (the key redacted), with stack traces of unexpected errors",
  },
  { name: "help", short: "h", type: "boolean", description: "show this help" },
  { name: "version", type: "boolean", description: "print the version" },
];
