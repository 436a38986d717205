import type { Runtime } from "@datafold-ci/client";
import type { GitRunner } from "./git/git-runner.js";
import type { TextSink } from "./output.js";
import type { SignalSource } from "./wait-and-report.js";

/** Everything `datafold-ci` reads from the outside world, injectable for tests and embedding. */
export interface CliOptions {
  /** The arguments after the program name. */
  readonly argv: readonly string[];
  /** Where flags' variables, the API key and the CI's variables are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Runs git (merge-base, rev-parse). @default the real git, in `cwd` */
  readonly git?: GitRunner;
  /** Reads a UTF-8 file (GitHub's event payload). @default node:fs/promises readFile */
  readonly readFile?: (path: string) => Promise<string>;
  /** The `fetch` the client sends with. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** The repository's working directory, for git. @default process.cwd() */
  readonly cwd?: string;
  /** Where SIGINT and SIGTERM are heard while waiting for a run. @default process */
  readonly signals?: SignalSource;
  /** The clock, sleep and dice of the wait's polling; a fake clock in tests. @default real time */
  readonly runtime?: Runtime;
  /** Read as the diffs of `submit` when no `--diffs` file is given. @default process.stdin */
  readonly stdin?: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;
}
