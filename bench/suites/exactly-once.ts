import { loadClient, loadTesting } from "../lib/built-packages.js";
import { row } from "../lib/report.js";
import { SAMPLE_CI_CONFIG_ID, SAMPLE_DETAILS } from "../lib/sample-trigger.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

const CALLS = 100;

/**
 * A retried trigger must never start a second run: N trigger calls, each meeting a failure after its run
 * started (a 500, 502 or 504, a hang past the timeout, a reset connection), must start N runs. Beside it,
 * the same calls with the look turned off: what blind retries do.
 */
export const exactlyOnceSuite: Suite = {
  name: "exactly-once",
  title: "Exactly once",
  async run() {
    const { createDatafoldClient } = await loadClient();
    const { startMockDatafold } = await loadTesting();
    const outcome = async (checkForStartedRun: boolean) => {
      const mock = await startMockDatafold();
      try {
        const datafold = createDatafoldClient({
          apiKey: mock.apiKey,
          baseUrl: mock.url,
          env: {},
          timeoutMs: 200,
        });
        const lost = [
          { kind: "respond", status: 500, reachesDatafold: true },
          { kind: "respond", status: 502, reachesDatafold: true },
          { kind: "respond", status: 504, reachesDatafold: true },
          { kind: "hang", reachesDatafold: true },
          { kind: "reset", reachesDatafold: true },
        ] as const;
        let failed = 0;
        for (let call = 0; call < CALLS; call++) {
          // With the look on, the first request of a call lists the runs: let it through.
          if (checkForStartedRun) mock.enqueue({ kind: "delay", ms: 0 });
          mock.enqueue(lost[call % lost.length]!);
          const details = {
            ...SAMPLE_DETAILS,
            pr_sha: `${SAMPLE_DETAILS.pr_sha.slice(0, 30)}${String(call).padStart(10, "0")}`,
          };
          await datafold
            .triggerPrRun(SAMPLE_CI_CONFIG_ID, details, { checkForStartedRun })
            .catch(() => failed++);
        }
        return { runs: mock.runs(SAMPLE_CI_CONFIG_ID).length, failed, requests: mock.requests.length };
      } finally {
        await mock.close();
      }
    };
    progress(`${CALLS} trigger calls with a failure after each run started, look on`);
    const on = await outcome(true);
    progress(`the same, look off (checkForStartedRun: false)`);
    const off = await outcome(false);
    const calls = { value: CALLS, unit: "calls" };
    return {
      rows: [
        row(
          "runs started, look before retrying (default)",
          { value: on.runs, unit: "runs" },
          {
            baseline: { what: "trigger calls", figure: calls },
            goal: { text: `= ${CALLS} (one per call)`, met: on.runs === CALLS && on.failed === 0 },
          },
        ),
        row(
          "runs started, blind retries (`checkForStartedRun: false`)",
          { value: off.runs, unit: "runs" },
          {
            baseline: { what: "trigger calls", figure: calls },
          },
        ),
        row(
          "requests per call, look on",
          { value: on.requests / CALLS, unit: "requests" },
          {
            baseline: { what: "look off", figure: { value: off.requests / CALLS, unit: "requests" } },
          },
        ),
      ],
      notes: [
        `Against the testing kit on loopback, \`timeoutMs: 200\`, default retries. Each call meets one fault that lets the trigger reach Datafold and loses the answer, in turn: 500, 502, 504, a hang past the timeout, a reset connection. Calls that failed: ${on.failed} with the look, ${off.failed} without.`,
        "Each call uses its own PR head SHA, so each call's look sees only its own runs.",
      ],
    };
  },
};
