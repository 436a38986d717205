import { FLAGS } from "./flags.js";

/** `datafold-ci --help`: usage, every flag with its default and environment variable, and the exit codes. */
export function helpText(version: string): string {
  const rows = FLAGS.map((flag) => {
    const names = [
      flag.short && `-${flag.short}`,
      `--${flag.name}`,
      ...(flag.aliases ?? []).map((a) => `--${a}`),
    ]
      .filter(Boolean)
      .join(", ");
    const fallback =
      flag.type === "boolean" && flag.name !== "help" && flag.name !== "version" ? "off" : undefined;
    const byDefault = flag.default ?? fallback;
    const facts = [flag.env && `env ${flag.env}`, byDefault && `default: ${byDefault}`].filter(Boolean);
    return {
      left: flag.placeholder ? `${names} ${flag.placeholder}` : names,
      lines: facts.length > 0 ? [flag.description, facts.join("; ")] : [flag.description],
    };
  });
  const width = Math.max(...rows.map((row) => row.left.length)) + 2;
  const flagLines = rows.flatMap(({ left, lines }) =>
    lines.map((line, i) => `  ${(i === 0 ? left : "").padEnd(width)}${line}`),
  );
  return `datafold-ci ${version}: start a Datafold CI run for the current pull/merge request.

Usage: datafold-ci trigger [flags]

Takes the official CLI's flags (datafold ci trigger). Any value not given as a flag is read from its
environment variable, then from the CI: GitHub Actions, GitLab CI, Bitbucket Pipelines, Azure Pipelines,
CircleCI, Jenkins (multibranch) and Buildkite. A missing base SHA is computed with
git merge-base origin/<base branch> <PR head>. Flags always win.

Flags:
${flagLines.join("\n")}

The API key is read only from DATAFOLD_API_KEY (or the legacy DATAFOLD_APIKEY), never from a flag.
Progress, warnings and errors go to stderr; NO_COLOR turns colour off.

Exit codes:
  0  the run was started (or Datafold started none and --require-run was not given)
  1  Datafold answered with an error, or the network failed, after every retry
  2  usage or input error: nothing was sent
  3  --require-run was given and Datafold started no run

Examples:
  datafold-ci trigger --ci-config-id 123            # in a PR build: the rest is detected
  datafold-ci trigger --ci-config-id 123 --dry-run  # show what would be sent, and from where
  datafold-ci trigger --ci-config-id 123 --pr-num 7 --pr-branch feature/x --base-branch main \\
    --pr-sha <sha> --base-sha <sha>                 # anywhere, all values by hand
`;
}
