import { describe, expect, it } from "vitest";
import { ExitCode } from "../src/exit-codes.js";
import { environments, PR, PR_BODY, prFlagsWithout } from "./fixtures/ci-environments.js";
import { IN_PROCESS_ENV, runInProcess, TEST_KEY } from "./run-in-process.js";

// Values pasted into a CI's settings often carry a space or a line break; the key always was trimmed.
describe("a value read from a variable, with whitespace around it", () => {
  it("is trimmed: DATAFOLD_CI_CONFIG_ID=' 12 ' is config 12", async () => {
    const run = await runInProcess(["trigger", ...prFlagsWithout("--ci-config-id")], {
      ...IN_PROCESS_ENV,
      DATAFOLD_CI_CONFIG_ID: " 12 ",
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests.map((request) => request.url)).toEqual(["http://127.0.0.1:9/api/v1/ci/12/trigger"]);
  });

  it("is trimmed for every input variable", async () => {
    const run = await runInProcess(["trigger"], {
      ...IN_PROCESS_ENV,
      DATAFOLD_CI_CONFIG_ID: "12\n",
      DATAFOLD_PR_NUMBER: " 7",
      DATAFOLD_PR_BRANCH: ` ${PR.branch}`,
      DATAFOLD_BASE_BRANCH: `${PR.base}\r\n`,
      DATAFOLD_PR_SHA: `\t${PR.headSha}`,
      DATAFOLD_BASE_SHA: `${PR.baseSha} `,
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests[0]?.body).toEqual(PR_BODY);
  });

  it("counts as unset when it is only whitespace", async () => {
    const run = await runInProcess(["trigger", ...prFlagsWithout("--pr-num")], {
      ...IN_PROCESS_ENV,
      DATAFOLD_PR_NUMBER: "  ",
    });
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain("--pr-num is missing");
    expect(run.stderr).not.toContain("valid integer");
  });

  it("is trimmed for a CI's variables", async () => {
    const run = await runInProcess(["trigger", "--ci-config-id=12"], {
      ...IN_PROCESS_ENV,
      ...environments["gitlab-ci"].pr,
      CI_MERGE_REQUEST_IID: " 7 ",
      CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: `${PR.branch}\n`,
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.requests[0]?.body).toMatchObject({ pr_number: 7, pr_branch: PR.branch });
  });

  it("is trimmed for a bounded number: DATAFOLD_LIMIT=' 5 '", async () => {
    const urls: string[] = [];
    const run = await runInProcess(
      ["runs", "--ci-config-id=12", "--pr-num=7"],
      {
        ...IN_PROCESS_ENV,
        DATAFOLD_LIMIT: " 5 ",
      },
      {
        fetch: async (input) => {
          urls.push(new Request(input).url);
          return Response.json([]);
        },
      },
    );
    expect(run.code).toBe(ExitCode.Ok);
    expect(new URL(urls[0]!).searchParams.get("limit")).toBe("5");
  });

  it("says so with --debug, naming the variable (and never the key's value)", async () => {
    const run = await runInProcess(["trigger", ...prFlagsWithout("--ci-config-id"), "--debug"], {
      ...IN_PROCESS_ENV,
      DATAFOLD_API_KEY: ` ${TEST_KEY}\n`,
      DATAFOLD_CI_CONFIG_ID: " 12 ",
    });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.stderr).toContain('DATAFOLD_CI_CONFIG_ID " 12 " has whitespace around it: read as "12"');
    expect(run.stderr).toContain("DATAFOLD_API_KEY has whitespace around it: trimmed");
    expect(run.stderr).toMatch(/--ci-config-id +12 +from DATAFOLD_CI_CONFIG_ID, trimmed/);
  });

  it("leaves a flag's value as typed", async () => {
    const run = await runInProcess(
      ["trigger", ...prFlagsWithout("--ci-config-id"), "--ci-config-id= 12"],
      IN_PROCESS_ENV,
    );
    expect(run.code).toBe(ExitCode.Usage);
    expect(run.stderr).toContain(
      '--ci-config-id (from flag --ci-config-id): Input should be a valid integer (got " 12")',
    );
  });
});
