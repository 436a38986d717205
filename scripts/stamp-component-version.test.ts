import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { REPO_ROOT } from "./packaging/published-packages.js";
import { actionTags } from "./release/action-tags.js";
import {
  COMPONENT,
  componentVersion,
  countDocumentedPins,
  documentedPinFiles,
  stampComponentVersion,
  stampDocumentedVersions,
} from "./stamp-component-version.js";

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

describe("the versions the docs pin", () => {
  const docs = documentedPinFiles().map((file) => ({
    file,
    text: readFileSync(join(REPO_ROOT, file), "utf8"),
  }));

  it("are the CLI version of this commit (and its action tag): the release stamps them, never a hand", () => {
    let pins = 0;
    for (const { file, text } of docs) {
      const stale = text
        .split("\n")
        .filter((line, i) => line !== stampDocumentedVersions(text, cliVersion).split("\n")[i]);
      expect(stale, `${file}: lines whose pin is not CLI ${cliVersion}`).toEqual([]);
      pins += countDocumentedPins(text);
    }
    expect(pins, "pins found in the docs").toBeGreaterThanOrEqual(5);
  });

  it("are stamped with a new version: the CLI, the component, the remote tag, the action's version and floating tag", () => {
    const sample = [
      "- run: npx -y @datafold-ci/cli@0.1.0 trigger",
      "  - component: $CI_SERVER_FQDN/<group>/datafold-ci/trigger@0.1.0",
      "  - component: gitlab.example.com/<group>/datafold-ci/trigger@v0.1.0",
      "  - remote: https://raw.githubusercontent.com/datafold-ci/datafold-ci/v0.1.0/templates/trigger.yml",
      "      uses: datafold-ci/datafold-ci@v0.1 # the floating tag",
      "          # version: 0.1.0      # CLI version",
      "Node 24.x, version: 2.1, openapi-fetch@0.17.0 stay as they are",
    ].join("\n");
    expect(stampDocumentedVersions(sample, "1.4.2").split("\n")).toEqual([
      "- run: npx -y @datafold-ci/cli@1.4.2 trigger",
      "  - component: $CI_SERVER_FQDN/<group>/datafold-ci/trigger@1.4.2",
      "  - component: gitlab.example.com/<group>/datafold-ci/trigger@v1.4.2",
      "  - remote: https://raw.githubusercontent.com/datafold-ci/datafold-ci/v1.4.2/templates/trigger.yml",
      `      uses: datafold-ci/datafold-ci@${actionTags("1.4.2").floating} # the floating tag`,
      "          # version: 1.4.2      # CLI version",
      "Node 24.x, version: 2.1, openapi-fetch@0.17.0 stay as they are",
    ]);
    expect(stampDocumentedVersions(sample, "0.3.0")).toContain("uses: datafold-ci/datafold-ci@v0.3 #");
  });
});
