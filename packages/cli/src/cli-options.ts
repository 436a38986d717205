import type { GitRunner } from "./git/git-runner.js";
import type { TextSink } from "./output.js";

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
}
