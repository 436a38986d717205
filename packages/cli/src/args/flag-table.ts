import { GIT_FALLBACKS, factOf } from "../ci/provider-spec.js";
import { datafoldApiCliInputs } from "../generated/datafold-api.js";
import type { CliCommand, CliInput, FlagSpec, OperationInputs } from "../types.js";
import { ALWAYS_ACCEPTED, CLI_FLAGS } from "./flags.js";

/** The default host as `--help` shows it: the spec's first server, baked in at build time. */
const DEFAULT_HOST: string | undefined = __DEFAULT_BASE_URL__;

/**
 * The inputs of the operation client method `method` sends, in this build; `undefined` when its spec has
 * no such operation (removed upstream with its override) or sends it from no command.
 */
export function operationInputs(method: string): OperationInputs | undefined {
  return Object.hasOwn(datafoldApiCliInputs, method) ? datafoldApiCliInputs[method] : undefined;
}

/** An input's flag, as the parser reads it and `--help` lists it. */
export function inputFlag(input: CliInput): FlagSpec {
  const fact = factOf(input);
  const fallback = fact && GIT_FALLBACKS[fact];
  const byDefault =
    input.default !== undefined
      ? String(input.default)
      : input.file
        ? "stdin"
        : fact !== undefined
          ? `detected from the CI${fallback ? `, else ${fallback}` : ""}`
          : input.required
            ? "none"
            : undefined;
  const { minimum, maximum } = input;
  const bounds =
    minimum !== undefined && maximum !== undefined
      ? ` (${minimum} to ${maximum})`
      : minimum !== undefined
        ? ` (${minimum} or more)`
        : maximum !== undefined
          ? ` (at most ${maximum})`
          : "";
  return {
    name: input.flag.slice(2),
    aliases: input.aliases.map((alias) => alias.slice(2)),
    type: "string",
    placeholder: input.placeholder,
    env: input.env,
    ...(byDefault !== undefined && { default: byDefault }),
    description: `${input.label}${bounds}${input.file ? "; - reads it from stdin" : ""}`,
  };
}

/** The CLI's own flag named `name`, with the default host filled in. */
function ownFlag(flag: FlagSpec): FlagSpec {
  return flag.name === "host" ? { ...flag, default: DEFAULT_HOST ?? "none" } : flag;
}

/**
 * Every flag of every command, as the parser reads them: the CLI's own, and each input flag of every
 * operation a command sends (a flag shared by commands, such as `--pr-num`, once; `pnpm generate` makes
 * sure it means the same everywhere).
 */
export function everyFlag(): FlagSpec[] {
  const flags = new Map<string, FlagSpec>();
  for (const operation of Object.values(datafoldApiCliInputs))
    for (const input of operation.inputs) if (!flags.has(input.flag)) flags.set(input.flag, inputFlag(input));
  return [...flags.values(), ...CLI_FLAGS.map(ownFlag)];
}

/** The inputs of `operation` that `command` takes, in the operation's order (none when this build lacks it). */
export function takenInputs(command: CliCommand, operation: OperationInputs | undefined): CliInput[] {
  return (operation?.inputs ?? []).filter((input) => command.takesInput?.(input) ?? true);
}

/** The flags `command` accepts, in `--help` order: its inputs', then its own, then those every command takes. */
export function commandFlags(command: CliCommand, operation: OperationInputs | undefined): FlagSpec[] {
  const own = new Set<string>([...command.flags, ...ALWAYS_ACCEPTED]);
  return [
    ...takenInputs(command, operation).map(inputFlag),
    ...CLI_FLAGS.filter((flag) => own.has(flag.name)).map(ownFlag),
  ];
}
