import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./packaging/published-packages.js";

/**
 * The GitLab component's `version` input defaults to the CLI version released with the component's tag,
 * so a pipeline that pins the component runs the CLI released with it: `include: remote:` cannot read the repository's package.json at run time, so the release
 * writes the version into templates/trigger.yml. `pnpm version-packages` (changeset version, then this)
 * does it in the "Version packages" commit that the release tags.
 */
export const COMPONENT = join(REPO_ROOT, "templates/trigger.yml");

/** The `default:` line of the `version` input, the line after the stamp comment. */
const VERSION_DEFAULT = /(# Stamped by the release[^\n]*\n\s*default: )"([^"]*)"/;

/** The version the component's `version` input defaults to. Throws if the stamp line is gone. */
export function componentVersion(text: string): string {
  const match = VERSION_DEFAULT.exec(text);
  if (!match)
    throw new Error(`${COMPONENT}: no stamped "version" default (the line after "# Stamped by the release")`);
  return match[2] ?? "";
}

/** `text` with the `version` input's default set to `version`; nothing else changes. */
export function stampComponentVersion(text: string, version: string): string {
  componentVersion(text);
  return text.replace(VERSION_DEFAULT, (_, head: string) => `${head}${JSON.stringify(version)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "packages/cli/package.json"), "utf8")) as {
    version: string;
  };
  const before = readFileSync(COMPONENT, "utf8");
  if (process.argv.includes("--check")) {
    if (componentVersion(before) !== version) {
      console.error(
        `templates/trigger.yml defaults to CLI ${componentVersion(before)}, but packages/cli is ${version}: run pnpm version-packages`,
      );
      process.exitCode = 1;
    }
  } else {
    writeFileSync(COMPONENT, stampComponentVersion(before, version));
    console.log(`templates/trigger.yml: version defaults to ${version}`);
  }
}
