import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertCliBuilt, CLI_BIN, loadTesting } from "../lib/built-packages.js";
import { REPO_ROOT } from "../lib/repo.js";
import type { Figure } from "../lib/report.js";
import { row } from "../lib/report.js";
import { runProcess } from "../lib/run-process.js";
import { SAMPLE_CI_CONFIG_ID, SAMPLE_DETAILS } from "../lib/sample-trigger.js";
import { median } from "../lib/stats.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

const RUNS = 25;
const VERSION_GOAL_RATIO = 1.3;

/** How long `datafold-ci` takes to start and to do a whole trigger, next to Node doing nothing. */
export const cliStartSuite: Suite = {
  name: "cli",
  title: "CLI start",
  async run() {
    await assertCliBuilt();
    const { startMockDatafold } = await loadTesting();
    const mock = await startMockDatafold();
    const emptyModule = join(tmpdir(), `datafold-ci-bench-empty-${process.pid}.mjs`);
    try {
      // A bare environment: no CI variables from wherever the bench runs, so the CLI detects nothing.
      const env = { PATH: process.env.PATH, DATAFOLD_API_KEY: mock.apiKey, DATAFOLD_HOST: mock.url };
      const node = (...args: string[]) => runProcess(process.execPath, args, { cwd: REPO_ROOT, env });
      // The floor of any ESM bin: Node's module loader reading one file, however small.
      await writeFile(emptyModule, "");
      const commands = [
        { what: "`node -e 0`", run: () => node("-e", "0") },
        { what: "`node empty.mjs`", run: () => node(emptyModule) },
        { what: "`datafold-ci --version`", run: () => node(CLI_BIN, "--version") },
        {
          what: "`datafold-ci trigger` against the testing kit",
          run: () => node(CLI_BIN, "trigger", ...triggerFlags()),
        },
      ];
      const times = commands.map(() => [] as number[]);
      progress(`${RUNS} interleaved runs of each, after one warm-up run`);
      for (let run = 0; run <= RUNS; run++) {
        // Rotate who goes first, so no command always follows the same one.
        for (let step = 0; step < commands.length; step++) {
          const index = (run + step) % commands.length;
          const { ms } = await commands[index]!.run();
          if (run > 0) times[index]!.push(ms);
        }
      }
      // Each trigger also lists the PR's runs first (the client looks before it retries): count the triggers.
      const served = mock.requests.filter(
        (request) => request.status === 200 && request.path.endsWith("/trigger"),
      ).length;
      if (served !== RUNS + 1)
        throw new Error(`expected ${RUNS + 1} triggers served, the mock served ${served}`);
      const [bare, empty, version, trigger] = times.map((t): Figure => ({
        value: median(t),
        unit: "ms",
      })) as [Figure, Figure, Figure, Figure];
      const baseline = { what: commands[0]!.what, figure: bare };
      return {
        rows: [
          row(commands[0]!.what, bare),
          row(commands[1]!.what, empty, { baseline }),
          row(commands[2]!.what, version, {
            baseline,
            goal: {
              text: `≤ ${VERSION_GOAL_RATIO}× bare Node`,
              met: version.value <= VERSION_GOAL_RATIO * bare.value,
            },
          }),
          row(commands[3]!.what, trigger, { baseline }),
        ],
        notes: [
          `Median wall time of ${RUNS} interleaved runs of each command (spawn to exit), after one warm-up round; \`packages/cli/bin/datafold-ci.js\` as installed users run it.`,
          "The trigger run sends the official CLI's flags to `startMockDatafold()` from packages/testing/dist, started in the bench process; every run must exit 0 and be served.",
        ],
      };
    } finally {
      await mock.close();
      await rm(emptyModule, { force: true });
    }
  },
};

function triggerFlags(): string[] {
  return [
    ["--ci-config-id", String(SAMPLE_CI_CONFIG_ID)],
    ["--pr-num", String(SAMPLE_DETAILS.pr_number)],
    ["--pr-branch", SAMPLE_DETAILS.pr_branch],
    ["--base-branch", SAMPLE_DETAILS.base_branch],
    ["--pr-sha", SAMPLE_DETAILS.pr_sha],
    ["--base-sha", SAMPLE_DETAILS.base_sha],
  ].flat();
}
