import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./packaging/published-packages.js";
import { actionTags } from "./release/action-tags.js";

/**
 * The GitLab component's `version` input defaults to the CLI version released with the component's tag:
 * `include: remote:` cannot read the repository's package.json at run time, so the release writes the
 * version into templates/trigger.yml. `pnpm version-packages` (changeset version, then this) does it in the
 * "Version packages" commit that the release tags, and writes the same version into every pin the docs show
 * (see {@link stampDocumentedVersions}), so the docs of a release name that release.
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

const SEMVER = String.raw`\d+\.\d+\.\d+(?:-[\w.]+)?`;

/**
 * The pins the docs show, each with what it becomes for a CLI version: the CLI on npm
 * (`@datafold-ci/cli@0.2.0`), the GitLab component (`trigger@0.2.0`, `trigger@v0.2.0`, the tag in a
 * `include: remote:` URL), the action's `version:` input, and the action's floating tag
 * (`uses: datafold-ci/datafold-ci@v0.2`, the tag `pnpm release:tag-action` moves).
 */
const PINS: readonly { readonly pattern: RegExp; readonly pin: (version: string) => string }[] = [
  { pattern: new RegExp(`(@datafold-ci/cli@)${SEMVER}`, "g"), pin: (version) => version },
  { pattern: new RegExp(`(/trigger@)${SEMVER}`, "g"), pin: (version) => version },
  { pattern: new RegExp(`(/trigger@v)${SEMVER}`, "g"), pin: (version) => version },
  { pattern: new RegExp(`(/datafold-ci/v)${SEMVER}(?=/templates/)`, "g"), pin: (version) => version },
  { pattern: new RegExp(`(# version: )${SEMVER}`, "g"), pin: (version) => version },
  {
    pattern: /(uses: datafold-ci\/datafold-ci@)v\d+(?:\.\d+){0,2}(?:-[\w.]+)?/g,
    pin: (version) => {
      const tags = actionTags(version);
      return tags.floating ?? tags.exact;
    },
  },
];

/** The docs {@link stampDocumentedVersions} applies to, relative to `root`. */
export function documentedPinFiles(root = REPO_ROOT): string[] {
  const docs = readdirSync(join(root, "docs"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join("docs", name));
  return ["README.md", ...docs, "packages/cli/README.md", "templates/README.md"];
}

/** How many pins {@link stampDocumentedVersions} finds in `text`. */
export function countDocumentedPins(text: string): number {
  return PINS.reduce((count, { pattern }) => count + (text.match(pattern)?.length ?? 0), 0);
}

/** `text` with every pinned CLI version and action tag set for CLI `version`; nothing else changes. */
export function stampDocumentedVersions(text: string, version: string): string {
  return PINS.reduce(
    (stamped, { pattern, pin }) => stamped.replace(pattern, (_, head: string) => `${head}${pin(version)}`),
    text,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "packages/cli/package.json"), "utf8")) as {
    version: string;
  };
  const check = process.argv.includes("--check");
  const before = readFileSync(COMPONENT, "utf8");
  const stale: string[] = [];
  if (componentVersion(before) !== version) stale.push("templates/trigger.yml");
  if (!check) writeFileSync(COMPONENT, stampComponentVersion(before, version));
  for (const file of documentedPinFiles()) {
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    const stamped = stampDocumentedVersions(text, version);
    if (stamped === text) continue;
    stale.push(file);
    if (!check) writeFileSync(join(REPO_ROOT, file), stamped);
  }
  if (check && stale.length > 0) {
    console.error(
      `CLI ${version} (packages/cli/package.json) is not what these pin: ${stale.join(", ")}. Run \`tsx scripts/stamp-component-version.ts\` (pnpm version-packages runs it).`,
    );
    process.exitCode = 1;
  } else if (!check) {
    console.log(
      `CLI ${version} stamped into templates/trigger.yml and the docs' pins (${stale.length} file(s) changed)`,
    );
  }
}
