import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PNPM, REPO_ROOT } from "../lib/repo.js";
import { row } from "../lib/report.js";
import type { ProcessRun } from "../lib/run-process.js";
import { runProcess } from "../lib/run-process.js";
import { median } from "../lib/stats.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

const RUNS = 3;
const GOAL_MS = 2_000;

/** The warm `pnpm build`: everything cached, what a developer waits for after changing nothing. */
export const buildSuite: Suite = {
  name: "build",
  title: "Warm build",
  async run() {
    const pnpm = (...args: string[]) => runProcess(PNPM[0], [...PNPM.slice(1), ...args], { cwd: REPO_ROOT });
    const turbo = () =>
      runProcess(join(REPO_ROOT, "node_modules", ".bin", "turbo"), ["run", "build"], { cwd: REPO_ROOT });
    progress("priming build (fills turbo's cache)");
    await withRetry(() => pnpm("build"));
    const warm: ProcessRun[] = [];
    const launcher: number[] = [];
    const bareTurbo: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      progress(`warm build ${run + 1} of ${RUNS}`);
      warm.push(await withRetry(() => pnpm("build")));
      launcher.push((await pnpm("--version")).ms);
      bareTurbo.push((await withRetry(turbo)).ms);
    }
    const warmMs = median(warm.map((run) => run.ms));
    const launcherBaseline = {
      what: "`npx -y pnpm@10.20.0 --version`",
      figure: { value: median(launcher), unit: "ms" },
    };
    const summary = warm.at(-1)!.stdout.match(/Cached:\s+(\d+) cached, (\d+) total/);
    return {
      rows: [
        row(
          "warm `npx -y pnpm@10.20.0 build`",
          { value: warmMs, unit: "ms" },
          {
            baseline: launcherBaseline,
            goal: { text: "< 2 s", met: warmMs < GOAL_MS },
          },
        ),
        row(
          "warm `turbo run build` (no npx, no pnpm)",
          { value: median(bareTurbo), unit: "ms" },
          {
            baseline: launcherBaseline,
          },
        ),
      ],
      notes: [
        `Median of ${RUNS} warm runs after a priming build; the launcher baseline is measured between them.`,
        summary
          ? `turbo reported ${summary[1]} of ${summary[2]} tasks cached on the last warm run.`
          : "turbo printed no cache summary on the last warm run.",
      ],
    };
  },
};

/** Other work in this checkout may hold turbo's cache or dist/ for a moment: try again before giving up. */
async function withRetry(run: () => Promise<ProcessRun>, attempts = 3): Promise<ProcessRun> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts) throw error;
      progress(`failed (attempt ${attempt} of ${attempts}); retrying in 10 s`);
      await sleep(10_000);
    }
  }
}
