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

const fieldFlags = Object.entries(TRIGGER_FIELDS).map(([field, spec]): FlagSpec => ({
  name: dropDashes(spec.flag),
  aliases: spec.aliases.map(dropDashes),
  type: "string",
  placeholder: spec.placeholder,
  env: spec.env,
  // The config id is no CI fact: only the flag or its variable give it.
  default: field === "ci_config_id" ? "none" : "detected from the CI",
  description: spec.label,
}));

/** Every flag of `datafold-ci trigger`, in `--help` order. */
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
    description: `retries after a connection error, a timeout, 429 or 5xx, 0 to ${MAX_RETRIES}; 0 turns them off`,
  },
  {
    name: "require-run",
    type: "boolean",
    description: "exit 3 when Datafold accepts the call but starts no run",
  },
  {
    name: "json",
    type: "boolean",
    description: "print Datafold's response as JSON on stdout, and nothing else",
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
