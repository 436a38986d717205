import { type ParseArgsConfig, parseArgs } from "node:util";
import { FLAGS, type FlagSpec } from "./flags.js";
import { UsageError } from "./usage-error.js";

/** A flag value and the spelling the user typed, e.g. `--pr-number`. */
export interface FlagValue {
  readonly value: string;
  readonly typed: string;
}

/** The command line, checked for shape; values are checked later, where their meaning is known. */
export interface CommandLine {
  readonly command: "trigger" | "help" | "version";
  /** String flags by canonical name (`pr-num`, also when typed as `--pr-number`). */
  readonly strings: ReadonlyMap<string, FlagValue>;
  /** Boolean flags given, by canonical name. */
  readonly booleans: ReadonlySet<string>;
}

const COMMANDS = new Set(["trigger", "help"]);
// Any spelling of an API-key flag: the key must never sit in argv, where process listings and CI logs show it.
const API_KEY_FLAG = /^--api[-_]?key(?:=|$)/i;

const canonical = new Map<string, FlagSpec>();
for (const flag of FLAGS) for (const name of [flag.name, ...(flag.aliases ?? [])]) canonical.set(name, flag);

const parseOptions: NonNullable<ParseArgsConfig["options"]> = {};
for (const [name, flag] of canonical)
  parseOptions[name] = {
    type: flag.type,
    ...(flag.short && name === flag.name ? { short: flag.short } : {}),
  };

/**
 * Parses `datafold-ci`'s arguments with `node:util` `parseArgs`, but reports mistakes itself so that no
 * message ever repeats a value typed after an unknown flag (it could be a secret).
 * @throws {UsageError} on an unknown flag, a missing value, an unexpected argument, or `--api-key`.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
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
  const strings = new Map<string, FlagValue>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === "positional") positionals.push(token.value);
    if (token.kind !== "option") continue;
    const flag = canonical.get(token.name);
    if (!flag) throw new UsageError(`unknown flag ${token.rawName}${suggest(token.name)}`);
    if (flag.type === "boolean") {
      if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
      booleans.add(flag.name);
      continue;
    }
    const { value } = token;
    if (value === undefined)
      throw new UsageError(`${token.rawName} needs a value: ${token.rawName} ${flag.placeholder}`);
    if (!token.inlineValue && value.startsWith("--"))
      throw new UsageError(
        `${token.rawName} needs a value, but the next argument is the flag ${value.split("=")[0]} ` +
          `(write ${token.rawName}=<value> if the value really starts with "--")`,
      );
    const earlier = strings.get(flag.name);
    if (earlier && earlier.typed !== token.rawName && earlier.value !== value)
      throw new UsageError(
        `${earlier.typed} and ${token.rawName} are the same flag but were given different values`,
      );
    strings.set(flag.name, { value, typed: token.rawName });
  }
  if (booleans.has("help")) return { command: "help", strings, booleans };
  if (booleans.has("version")) return { command: "version", strings, booleans };
  const [command, ...extra] = positionals;
  if (command === undefined) throw new UsageError("missing command: did you mean datafold-ci trigger?");
  if (!COMMANDS.has(command)) throw new UsageError(`unknown command "${command}": the command is trigger`);
  if (command === "help") return { command: "help", strings, booleans };
  if (extra.length > 0)
    throw new UsageError(`unexpected argument "${extra[0]}": trigger takes flags only, e.g. --pr-num 7`);
  return { command: "trigger", strings, booleans };
}

function suggest(typed: string): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const name of canonical.keys()) {
    const distance = editDistance(typed.toLowerCase(), name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  return best === undefined ? "" : ` (did you mean --${best}?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length]!;
}
