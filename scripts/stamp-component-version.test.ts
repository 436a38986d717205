import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "./packaging/published-packages.js";
import { COMPONENT, componentVersion, stampComponentVersion } from "./stamp-component-version.js";

const cliVersion = (
  JSON.parse(readFileSync(join(REPO_ROOT, "packages/cli/package.json"), "utf8")) as { version: string }
).version;
const text = readFileSync(COMPONENT, "utf8");
const specInputs = (source: string) => {
  const header = parseAllDocuments(source)[0];
  if (header === undefined) throw new Error("templates/trigger.yml has no spec: header document");
  return (header.toJS() as { spec: { inputs: Record<string, { default?: unknown }> } }).spec.inputs;
};

it("the committed component defaults to the CLI version of this commit (a release that forgot to stamp fails here)", () => {
  expect(specInputs(text).version?.default).toBe(cliVersion);
  expect(componentVersion(text)).toBe(cliVersion);
});

it("stamping a new version changes that default and nothing else", () => {
  const stamped = stampComponentVersion(text, "9.8.7");
  expect(specInputs(stamped).version?.default).toBe("9.8.7");
  const changed = text.split("\n").filter((line, i) => line !== stamped.split("\n")[i]);
  expect(changed).toEqual([`      default: "${cliVersion}"`]);
});

it("refuses a component whose stamp line is gone, naming the file", () => {
  expect(() => stampComponentVersion(text.replace("# Stamped by the release", "# edited"), "1.0.0")).toThrow(
    /templates\/trigger\.yml: no stamped "version" default/,
  );
});
