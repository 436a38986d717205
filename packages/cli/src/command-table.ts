import type { CliCommand } from "./commands/cli-command.js";

/** A command's name, one-line summary, and its module, loaded only when it runs (so `--help` stays cheap). */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<{ readonly command: CliCommand }>;
}

/** Every `datafold-ci` command, in `--help` order. */
export const COMMAND_TABLE: readonly CommandEntry[] = [
  {
    name: "trigger",
    summary: "start a Datafold CI run for the current pull/merge request (and, with --wait, wait for it)",
    load: () => import("./commands/trigger.js"),
  },
  {
    name: "wait",
    summary: "wait for a run that is already started, and exit with its outcome",
    load: () => import("./commands/wait.js"),
  },
  { name: "runs", summary: "list a pull request's runs", load: () => import("./commands/runs.js") },
  {
    name: "submit",
    summary: "send a PR's diffs to its waiting run (drop-in for datafold ci submit)",
    load: () => import("./commands/submit.js"),
  },
];

/** The entry named `name`, if there is one. */
export function findCommand(name: string): CommandEntry | undefined {
  return COMMAND_TABLE.find((entry) => entry.name === name);
}
