/**
 * `pnpm release:tag-action --published '<json>' [--remote origin] [--root <dir>]`: after a release, tags the
 * commit at HEAD for the GitHub Action when @datafold-ci/cli was published: creates `v<major>.<minor>.<patch>`
 * and moves the floating tag (`v<major>`, or `v0.<minor>` before 1.0), then pushes them to `--remote` when
 * given. `--published` is changesets/action's `publishedPackages` output: `[{"name": …, "version": …}]`.
 *
 * The action runs `@datafold-ci/cli@<version in packages/cli/package.json>` by default, read from the tagged
 * commit; so a tag is only made where that file says the published version, and the default is always
 * the CLI released with the tag. An exact tag already on another commit is an error (a version tag never
 * moves); on HEAD it is left as is, so a rerun of the workflow is harmless.
 *
 * Exit codes: 0 tagged (or nothing to tag), 2 bad input or a refused tag.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs, promisify } from "node:util";
import { actionTags } from "./release/action-tags.js";

const CLI = "@datafold-ci/cli";
const run = promisify(execFile);

try {
  const { values } = parseArgs({
    options: {
      published: { type: "string" },
      remote: { type: "string" },
      root: { type: "string", default: process.cwd() },
    },
  });
  if (values.published === undefined)
    throw new Error("--published <json> is required: changesets/action's publishedPackages output.");
  let published: unknown;
  try {
    published = JSON.parse(values.published);
  } catch {
    throw new Error(`--published is not JSON (expected [{"name": …, "version": …}]): ${values.published}`);
  }
  if (!Array.isArray(published))
    throw new Error(`--published must be a JSON array of {"name", "version"} (got ${values.published}).`);
  const cli = (published as { name?: unknown; version?: unknown }[]).find((p) => p?.name === CLI);
  if (cli === undefined) {
    process.stdout.write(`${CLI} was not published: no action tags.\n`);
    process.exit(0);
  }
  if (typeof cli.version !== "string") throw new Error(`--published lists ${CLI} without a version string.`);

  const root = resolve(values.root);
  const git = async (...args: string[]) => (await run("git", args, { cwd: root })).stdout.trim();
  const manifest = JSON.parse(await readFile(join(root, "packages/cli/package.json"), "utf8")) as {
    version: string;
  };
  if (manifest.version !== cli.version) {
    throw new Error(
      `HEAD's packages/cli/package.json says ${manifest.version}, but --published says ${CLI}@${cli.version} was ` +
        "published: the action tagged here would run another CLI version by default. Tag the release commit.",
    );
  }
  const { exact, floating } = actionTags(cli.version);
  const head = await git("rev-parse", "HEAD");
  const existing = await git("rev-parse", "--verify", "--quiet", `refs/tags/${exact}^{commit}`).catch(
    () => "",
  );
  if (existing !== "" && existing !== head)
    throw new Error(
      `Tag ${exact} already names commit ${existing}, not HEAD (${head}): a version tag never moves.`,
    );
  if (existing === "") await git("tag", "--annotate", exact, "--message", `${CLI}@${cli.version}`, head);
  if (floating !== undefined)
    await git(
      "tag",
      "--force",
      "--annotate",
      floating,
      "--message",
      `Latest ${floating}: ${CLI}@${cli.version}`,
      head,
    );

  const refs = [`refs/tags/${exact}`, ...(floating === undefined ? [] : [`+refs/tags/${floating}`])];
  if (values.remote !== undefined) await git("push", values.remote, ...refs);
  process.stdout.write(
    `Tagged ${head.slice(0, 12)}: ${exact}${floating === undefined ? " (pre-release: no floating tag)" : `, ${floating}`}` +
      `${values.remote === undefined ? "" : `; pushed to ${values.remote}`}.\n`,
  );
} catch (error) {
  process.stderr.write(`release:tag-action: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
