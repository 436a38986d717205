/**
 * `pnpm spec:diff --base <git-ref> [--write] [--root <dir>]`: which semver bump does the change to
 * `spec/` since `<git-ref>` need? Prints one line per reason, then the bump alone on the last line:
 * `major`, `minor`, `patch` or `none`. `--write` also writes the matching changeset (nothing for `none`).
 *
 * How it judges (openapi-diff cannot read OpenAPI 3.1, so nothing here depends on the version):
 *  1. Structural rules on the two documents (scripts/spec-diff/compare-*.ts) name each change in words:
 *     an operation, field, parameter, response or media type removed, a request field newly required or
 *     a type narrowed are `major`; additions are `minor`; documentation only is `patch`. Whether accepting
 *     more or fewer values breaks anyone depends on the direction, so each schema is judged by where it
 *     travels (request, response or both).
 *  2. The TypeScript compiler checks the generated types of both versions (type-compatibility.ts): old
 *     requests must still be accepted by the new types and new responses must still satisfy the old ones.
 *     It catches what a rule might miss; the rules catch what assignability allows (a removed optional field).
 *  The bump is the largest reason's; parsed-equal documents (formatting, comments, key order) are `none`.
 * Exit codes: 0 with a verdict; 2 when the input is wrong (unknown ref, unreadable spec).
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatChange, overallBump, sortChanges } from "./spec-diff/change.js";
import { compareSpecs } from "./spec-diff/compare-documents.js";
import { readSpecAtRef, readSpecInWorkingTree } from "./spec-diff/spec-sources.js";
import { writeSpecChangeset } from "./spec-diff/write-changeset.js";

try {
  const { values } = parseArgs({
    options: {
      base: { type: "string" },
      write: { type: "boolean", default: false },
      root: { type: "string", default: fileURLToPath(new URL("..", import.meta.url)) },
    },
  });
  if (values.base === undefined) throw new Error("--base <git-ref> is required, e.g. --base origin/main.");
  const root = resolve(values.root);

  const before = await readSpecAtRef(root, values.base);
  const after = await readSpecInWorkingTree(root);
  const changes = sortChanges(await compareSpecs(before, after));
  const bump = overallBump(changes);

  const lines = changes.map(formatChange);
  if (bump === "none") lines.push(`spec/ has the same content as at ${values.base}.`);
  if (values.write && bump !== "none") {
    const path = await writeSpecChangeset(root, { base: values.base, bump, changes, after });
    lines.push(`wrote ${path}`);
  }
  process.stdout.write(`${[...lines, bump].join("\n")}\n`);
} catch (error) {
  // Wrong input (a bad ref, a spec that does not parse) is the user's to fix: the reason, no stack trace.
  process.stderr.write(`spec:diff: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
