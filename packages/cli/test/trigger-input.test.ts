import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import {
  environments,
  PR,
  PR_FLAGS,
  type ProviderId,
  prFlagsWithout,
  PR_BODY,
} from "./fixtures/ci-environments.js";
import { IN_PROCESS_ENV, runInProcess, TEST_KEY } from "./run-in-process.js";

const withFlag = (flag: string, value: string) => ["trigger", ...prFlagsWithout(flag), `${flag}=${value}`];

describe("where values come from", () => {
  it("sends the flags' values when every value is a flag", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS], IN_PROCESS_ENV);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests).toEqual([
      {
        method: "POST",
        url: "http://127.0.0.1:9/api/v1/ci/12/trigger",
        body: PR_BODY,
      },
    ]);
  });

  it("lets a flag beat its DATAFOLD_* variable, and the variable beat the CI", async () => {
    const env = {
      ...IN_PROCESS_ENV,
      ...environments["gitlab-ci"].pr,
      DATAFOLD_CI_CONFIG_ID: "99",
      DATAFOLD_PR_BRANCH: "from-env",
      DATAFOLD_PR_SHA: "abcdef1234567",
    };
    const run = await runInProcess(["trigger", "--ci-config-id", "12", "--pr-sha", "1234567abcdef"], env);
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests[0]?.url).toMatch(/\/ci\/12\/trigger$/);
    expect(run.requests[0]?.body).toEqual({
      pr_number: 7,
      pr_branch: "from-env",
      base_branch: PR.base,
      pr_sha: "1234567abcdef",
      base_sha: PR.baseSha,
    });
  });

  it("takes the config id from DATAFOLD_CI_CONFIG_ID when the flag is absent", async () => {
    const run = await runInProcess(["trigger"], {
      ...IN_PROCESS_ENV,
      ...environments.jenkins.pr,
      DATAFOLD_CI_CONFIG_ID: "31",
      DATAFOLD_BASE_SHA: PR.baseSha,
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests[0]?.url).toMatch(/\/ci\/31\/trigger$/);
  });
});

describe("bad input: exit 2, the flag named, where the value came from, nothing sent", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      "a PR number that is not a number",
      withFlag("--pr-num", "abc"),
      {},
      /--pr-num \(from flag --pr-num\): .*integer.*"abc"/,
    ],
    [
      "a PR number of 0",
      withFlag("--pr-num", "0"),
      {},
      /--pr-num \(from flag --pr-num\): Input should be a whole number of 1 or more \(got 0\)/,
    ],
    [
      "a negative config id",
      withFlag("--ci-config-id", "-3"),
      {},
      /--ci-config-id \(from flag --ci-config-id\): Input should be a whole number of 1 or more \(got -3\)/,
    ],
    [
      "a blank branch",
      withFlag("--pr-branch", " "),
      {},
      /--pr-branch \(from flag --pr-branch\): String should not be empty/,
    ],
    [
      "a SHA that is a ref name",
      withFlag("--pr-sha", "HEAD"),
      {},
      /--pr-sha \(from flag --pr-sha\): expected a commit SHA of 7 to 64 hexadecimal digits \(got "HEAD"\)/,
    ],
    [
      "a host without a scheme",
      [...withFlag("--pr-num", "7"), "--host", "app.datafold.com"],
      {},
      /flag --host is not a full URL \(got "app.datafold.com"\)/,
    ],
    [
      "plain http to a remote host",
      [...withFlag("--pr-num", "7"), "--host=http://datafold.corp.example"],
      {},
      /flag --host is plain http:\/\/ to datafold.corp.example.*--allow-insecure-http/,
    ],
    [
      "a timeout of 0",
      [...withFlag("--pr-num", "7"), "--timeout", "0"],
      {},
      /--timeout "0" \(from flag --timeout\) is not a number of seconds/,
    ],
    ["a timeout in words", [...withFlag("--pr-num", "7"), "--timeout", "ten"], {}, /--timeout "ten"/],
    [
      "too many retries",
      [...withFlag("--pr-num", "7"), "--retries", "11"],
      {},
      /--retries "11" \(from flag --retries\) is not a whole number from 0 to 10/,
    ],
    [
      "a missing config id",
      ["trigger", ...PR_FLAGS.slice(1)],
      {},
      /--ci-config-id is missing \(the Datafold CI config id\): pass --ci-config-id or set DATAFOLD_CI_CONFIG_ID/,
    ],
    [
      "a bad DATAFOLD_BASE_SHA",
      ["trigger", ...PR_FLAGS.slice(0, 5)],
      { DATAFOLD_BASE_SHA: "xyz" },
      /--base-sha \(from DATAFOLD_BASE_SHA\): expected a commit SHA/,
    ],
    [
      "a bad DATAFOLD_CI_CONFIG_ID",
      ["trigger", ...PR_FLAGS.slice(1)],
      { DATAFOLD_CI_CONFIG_ID: "12a" },
      /--ci-config-id \(from DATAFOLD_CI_CONFIG_ID\): .*integer.*"12a"/,
    ],
    [
      "an MR number from the CI that is not a number",
      ["trigger", "--ci-config-id=1"],
      { ...environments["gitlab-ci"].pr, CI_MERGE_REQUEST_IID: "!7" },
      /--pr-num \(from CI_MERGE_REQUEST_IID \(GitLab CI\)\): .*integer.*"!7"/,
    ],
  ];
  it.each(cases)("%s", async (_, argv, env, message) => {
    const run = await runInProcess(argv, { ...IN_PROCESS_ENV, ...env });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("Nothing was sent.");
    expect(run.stdout).toBe("");
    expect(run.requests).toEqual([]);
  });

  it("names a bad DATAFOLD_HOST in the client's own words, and suggests the flag that allows http", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS], {
      ...IN_PROCESS_ENV,
      DATAFOLD_HOST: "http://datafold.corp.example",
    });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(
      "error: DATAFOLD_HOST is plain http:// to datafold.corp.example, which would send the API key unencrypted; use https://, or pass --allow-insecure-http if the network is trusted",
    );
    expect(run.stderr).not.toMatch(/baseUrl|allowInsecureHttp/);
    expect(run.requests).toEqual([]);
  });

  it("reports every problem at once", async () => {
    const run = await runInProcess(["trigger", "--pr-num=x", "--pr-sha=y", "--timeout=-1"], {
      DATAFOLD_HOST: "nope",
    });
    for (const flag of [
      "--pr-num",
      "--pr-sha",
      "--timeout",
      "--ci-config-id",
      "--pr-branch",
      "--base-branch",
      "--base-sha",
      "DATAFOLD_HOST",
      "DATAFOLD_API_KEY",
    ])
      expect(run.stderr).toContain(flag);
    expect(run.requests).toEqual([]);
  });

  it("asks for DATAFOLD_API_KEY when it is not set, and says when it is set but empty", async () => {
    const unset = await runInProcess(["trigger", ...PR_FLAGS], {});
    expect(unset.code).toBe(ExitCode.Usage);
    expect(unset.stderr).toMatch(
      /DATAFOLD_API_KEY is not set: set it to a Datafold API key from your CI's secret store/,
    );
    const blank = await runInProcess(["trigger", ...PR_FLAGS], { DATAFOLD_API_KEY: "" });
    expect(blank.stderr).toMatch(/DATAFOLD_API_KEY is set but empty: a CI passes a secret it withholds/);
    expect([unset.requests, blank.requests]).toEqual([[], []]);
  });

  it("takes the key from the legacy DATAFOLD_APIKEY", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS], {
      DATAFOLD_APIKEY: TEST_KEY,
      DATAFOLD_HOST: "http://127.0.0.1:9",
    });
    expect(run.code).toBe(ExitCode.Ok);
  });

  it("refuses a key with a line break in it without printing the key", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS], {
      ...IN_PROCESS_ENV,
      DATAFOLD_API_KEY: `${TEST_KEY}\nsecond-line`,
    });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(
      /the API key from DATAFOLD_API_KEY contains spaces, control or non-ASCII characters/,
    );
    expect(run.stderr).not.toContain("second-line");
  });

  it("names the flag, its variable and the CI's variables for each fact no source supplied", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id=1"], IN_PROCESS_ENV);
    expect(run.stderr).toMatch(
      /--pr-num is missing \(the pull\/merge request number\): pass --pr-num or set DATAFOLD_PR_NUMBER; in a PR build it is read from pull_request.number in \$GITHUB_EVENT_PATH \(GitHub Actions\), CI_MERGE_REQUEST_IID \(GitLab CI\), BITBUCKET_PR_ID/,
    );
    expect(run.stderr).toMatch(
      /No CI system was detected \(looked for GitHub Actions, GitLab CI, .*\): pass --pr-num, --pr-branch, --base-branch, --pr-sha, --base-sha\./,
    );
  });

  it("says CircleCI has no variable for the target branch", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id=1"], {
      ...IN_PROCESS_ENV,
      ...environments.circleci.pr,
    });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(
      "--base-branch is missing (the PR's target (base) branch): pass --base-branch or set DATAFOLD_BASE_BRANCH; CircleCI has no variable for it.",
    );
  });

  it("blames the detected CI in the summary only for values it has a variable for", async () => {
    const circle = await runInProcess(["trigger", "--ci-config-id=1"], {
      ...IN_PROCESS_ENV,
      ...environments.circleci.pr,
    });
    expect(circle.code).toBe(ExitCode.Usage);
    // CircleCI has no variable for the target branch: it could not have supplied it.
    expect(circle.stderr).not.toMatch(/did not supply/);
    expect(circle.stderr).toContain("CircleCI has no variable for it.");
    const { CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: _, ...gitlab } = environments["gitlab-ci"].pr;
    const run = await runInProcess(["trigger"], { ...IN_PROCESS_ENV, ...gitlab });
    expect(run.stderr).toContain(
      "GitLab CI was detected, in a PR build, but did not supply every value it has a variable for: pass --pr-branch.",
    );
    // The config id is never a CI's to give: its own line says where it is.
    expect(run.stderr).not.toMatch(/did not supply[^\n]*--ci-config-id/);
    expect(run.stderr).toContain("--ci-config-id is missing");
  });

  it("reads a negative number as a number, so the message says what is expected of it", async () => {
    const run = await runInProcess(withFlag("--pr-num", "-1"), IN_PROCESS_ENV);
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(
      "--pr-num (from flag --pr-num): Input should be a whole number of 1 or more (got -1)",
    );
  });

  it("explains a base SHA git could not compute", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id=1"], {
      ...IN_PROCESS_ENV,
      ...environments.buildkite.pr,
    });
    expect(run.stderr).toContain(
      "--base-sha is missing (the SHA of the PR's base: its target branch's tip or the merge base): pass --base-sha or set DATAFOLD_BASE_SHA; Buildkite has no variable for it; git merge-base could not compute it: the working directory is not a git repository.",
    );
  });
});

describe.each(Object.keys(environments) as ProviderId[])("a push build on %s", (id) => {
  it("exits 2, naming the provider, why it is no PR build, and the flags that would make the call possible", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id=1"], {
      ...IN_PROCESS_ENV,
      ...environments[id].push,
    });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toMatch(
      /(GitHub Actions|GitLab CI|Bitbucket Pipelines|Azure Pipelines|CircleCI|Jenkins|Buildkite) was detected, but this build is not .*: .*\. To trigger a run from it anyway, pass --pr-num, --pr-branch, --base-branch, --pr-sha, --base-sha\./,
    );
    expect(run.requests).toEqual([]);
  });

  it("still triggers when every fact is given as a flag", async () => {
    const run = await runInProcess(["trigger", ...PR_FLAGS], { ...IN_PROCESS_ENV, ...environments[id].push });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests).toHaveLength(1);
  });
});
