import { fakeValue } from "../../packages/testing/src/fake-value.js";
import { loadClient, loadClientWait, loadTesting } from "../lib/built-packages.js";
import { row } from "../lib/report.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

const MINUTE = 60_000;
/** The official SDK (`datafold-sdk`, `dbt upload-and-wait`) lists `limit=1` every 5 s: 12 calls a minute. */
const SDK_INTERVAL_MS = 5_000;
const RUN_MINUTES = [1, 10, 60] as const;
/** Runs end this long after a whole minute, so neither loop's schedule lines up with the end by luck. */
const OFFSET_MS = 2_500;
const PR = fakeValue("triggerPrRun", "body", {
  pr_number: 7,
  pr_branch: "feature/x",
  base_branch: "main",
  pr_sha: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d",
  base_sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c",
});

/**
 * `waitForCiRun` against the testing kit on a shared fake clock, for runs of 1, 10 and 60 minutes:
 * list calls made and how late the outcome was seen, beside the official SDK's fixed 5 s polling
 * replayed against the same kit.
 */
export const waitEconomySuite: Suite = {
  name: "wait-economy",
  title: "Wait economy",
  async run() {
    const { createDatafoldClient } = await loadClient();
    const { waitForCiRun } = await loadClientWait();
    const { startMockDatafold, fakeClock } = await loadTesting();
    const rows = [];
    for (const minutes of RUN_MINUTES) {
      const clock = fakeClock();
      const runMs = minutes * MINUTE + OFFSET_MS;
      const mock = await startMockDatafold({
        clock,
        // No wait for diffs: the run lasts runMs from its trigger, which the lateness below is measured from.
        runLifecycle: { waitForDiffsMs: 0, stages: [{ status: "processing", ms: runMs }] },
      });
      try {
        const client = createDatafoldClient({ apiKey: mock.apiKey, baseUrl: mock.url });
        const lists = () => mock.requests.filter((request) => request.method === "GET").length;
        const ours = async () => {
          const started = clock.now();
          const job = await client.triggerPrRun(12, PR);
          const before = lists();
          await waitForCiRun(client, {
            ciConfigId: 12,
            ciRunId: job.ci_run_id as number,
            prSha: PR.pr_sha,
            timeoutMs: 2 * 60 * MINUTE,
            runtime: { now: clock.now, sleep: clock.sleep, random: Math.random },
          });
          return { calls: lists() - before, lateMs: clock.now() - started - runMs };
        };
        const sdk = async () => {
          const started = clock.now();
          await client.triggerPrRun(12, PR);
          const before = lists();
          for (;;) {
            const [run] = await client.listCiRuns(12, { pr_sha: PR.pr_sha, limit: 1 });
            if (run && ["done", "failed", "cancelled"].includes(run.status)) break;
            await clock.sleep(SDK_INTERVAL_MS);
          }
          return { calls: lists() - before, lateMs: clock.now() - started - runMs };
        };
        const a = await ours();
        const b = await sdk();
        progress(
          `${minutes}-minute run: ${a.calls} list calls (SDK ${b.calls}), outcome seen ${a.lateMs / 1000} s late`,
        );
        const calls = (value: number) => ({ value, unit: "calls" });
        const seconds = (ms: number) => ({ value: ms / 1000, unit: "s" });
        rows.push(
          row(`${minutes}-minute run: list calls`, calls(a.calls), {
            baseline: { what: "official SDK, every 5 s", figure: calls(b.calls) },
            ...(minutes === 10 ? { goal: { text: "≤ 60", met: a.calls <= 60 } } : {}),
          }),
          row(`${minutes}-minute run: outcome seen after it was reported`, seconds(a.lateMs), {
            baseline: { what: "official SDK, every 5 s", figure: seconds(b.lateMs) },
            goal: { text: "≤ 15 s", met: a.lateMs <= 15_000 },
          }),
        );
      } finally {
        await mock.close();
      }
    }
    return {
      rows,
      notes: [
        `Each run takes its minutes plus ${OFFSET_MS / 1000} s (so the SDK's 5 s grid does not meet the end exactly); "outcome seen after it was reported" is the time from Datafold listing the final status to the loop returning.`,
        "The kit's run lifecycle and the waiting client share a fake clock (`@datafold-ci/testing` fakeClock), so an hour-long run takes milliseconds; calls are real HTTP over loopback.",
        "waitForCiRun: first check at once, then 2 s growing 1.5× to 15 s, minus up to 20 % random jitter (Math.random: figures vary by a call or two between runs).",
        "Baseline: the official SDK's loop (`GET …/runs?pr_sha=…&limit=1` every 5 s, 12 calls a minute), replayed against the same kit.",
      ],
    };
  },
};
