import { editDistance } from "@datafold-ci/api-description";
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { CommandLine, FlagSpec, FlagValue } from "../types.js";

/** A command-line or input mistake: reported without a stack trace, exit code 2, nothing sent. */
export class UsageError extends Error {
  override readonly name = "UsageError";

  /**
   * @param command the command the mistake was made in, when the command line names one: the error then
   *   points to that command's `--help`, which lists its flags, rather than the overview.
   */
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** What {@link parseCommandLine} knows: the command names and every flag of every command. */
export interface CommandLineGrammar {
  readonly commands: readonly string[];
  readonly flags: readonly FlagSpec[];
}

// Any spelling of an API-key flag: the key must never sit in argv, where process listings and CI logs show it.
const API_KEY_FLAG = /^--api[-_]?key(?:=|$)/i;

/**
 * Parses `datafold-ci`'s arguments with `node:util` `parseArgs`, but reports mistakes itself so that no
 * message ever repeats a value typed after an unknown flag (it could be a secret).
 * @throws {UsageError} on an unknown flag, a missing value, an unexpected argument, or `--api-key`.
 */
export function parseCommandLine(argv: readonly string[], grammar: CommandLineGrammar): CommandLine {
  const canonical = new Map<string, FlagSpec>();
  for (const flag of grammar.flags)
    for (const name of [flag.name, ...(flag.aliases ?? [])]) canonical.set(name, flag);
  const parseOptions: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, flag] of canonical)
    parseOptions[name] = {
      type: flag.type,
      ...(flag.short && name === flag.name ? { short: flag.short } : {}),
    };
  const isCommand = (name: string) => grammar.commands.includes(name);
  const terminator = argv.indexOf("--");
  if (argv.slice(0, terminator === -1 ? undefined : terminator).some((arg) => API_KEY_FLAG.test(arg)))
    throw new UsageError(
      "--api-key is not accepted: the API key is read only from the DATAFOLD_API_KEY environment variable " +
        "(set it from your CI's secret store), so it never appears in process listings or logs.",
    );
  const { tokens } = parseArgs({
    args: [...argv],
    options: parseOptions,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  // Mistakes in a flag point to the help of the command they were typed for, when one is named.
  // (The first command name among the words: an unknown flag's value can come before it.)
  const command = tokens.flatMap((token) =>
    token.kind === "positional" && isCommand(token.value) ? [token.value] : [],
  )[0];
  const mistake = (message: string) => new UsageError(message, command);
  const strings = new Map<string, FlagValue>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const flag = canonical.get(token.name);
    if (!flag) throw mistake(`unknown flag ${token.rawName}${suggest(token.name, [...canonical.keys()])}`);
    if (flag.type === "boolean") {
      if (token.inlineValue) throw mistake(`${token.rawName} takes no value`);
      booleans.add(flag.name);
      continue;
    }
    const { value } = token;
    if (value === undefined)
      throw mistake(`${token.rawName} needs a value: ${token.rawName} ${flag.placeholder}`);
    if (!token.inlineValue && value.startsWith("--"))
      throw mistake(
        `${token.rawName} needs a value, but the next argument is the flag ${value.split("=")[0]} ` +
          `(write ${token.rawName}=<value> if the value really starts with "--")`,
      );
    const earlier = strings.get(flag.name);
    if (earlier && earlier.typed !== token.rawName && earlier.value !== value)
      throw mistake(
        `${earlier.typed} and ${token.rawName} are the same flag but were given different values`,
      );
    strings.set(flag.name, { value, typed: token.rawName });
  }
  const [first, ...extra] = positionals;
  const names = grammar.commands;
  const known = (name: string) => {
    if (!isCommand(name))
      throw new UsageError(`unknown command "${name}": the commands are ${names.join(", ")}`);
    return name;
  };
  if (first === "help" || booleans.has("help")) {
    const topic = first === "help" ? extra[0] : first;
    return { command: "help", ...(topic === undefined ? {} : { topic: known(topic) }), strings, booleans };
  }
  if (booleans.has("version")) return { command: "version", strings, booleans };
  if (first === undefined)
    throw new UsageError(`missing command: one of ${names.join(", ")} (e.g. datafold-ci trigger)`);
  known(first);
  if (extra.length > 0)
    throw mistake(`unexpected argument "${extra[0]}": ${first} takes flags only, e.g. --pr-num 7`);
  return { command: first, strings, booleans };
}

function suggest(typed: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of known) {
    const distance = editDistance(typed.toLowerCase(), name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best === undefined ? "" : ` (did you mean --${best}?)`;
}
