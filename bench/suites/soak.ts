import { fork } from "node:child_process";
import { join } from "node:path";
import { loadTesting } from "../lib/built-packages.js";
import { REPO_ROOT } from "../lib/repo.js";
import { row } from "../lib/report.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";
import type { SoakReport, SoakSettings, ToBench, ToClient } from "../soak/protocol.js";

const CALLS = 10_000;
const FAULT_EVERY = 20;
const MAX_RSS_GROWTH_BYTES = 10_000_000;
/** A soak that has not finished by then has calls that never settled. */
const DEADLINE_MS = 240_000;
const MB = 1_000_000;

/** 10 000 triggers against the testing kit with 5 % scripted faults: every call accounted for, memory flat. */
export const soakSuite: Suite = {
  name: "soak",
  title: "Soak",
  async run() {
    const { startMockDatafold } = await loadTesting();
    const mock = await startMockDatafold();
    try {
      const settings: SoakSettings = {
        url: mock.url,
        apiKey: mock.apiKey,
        calls: CALLS,
        warmUpCalls: 1_000,
        width: 32,
        faultEvery: FAULT_EVERY,
        timeoutMs: 250,
        idleSocketWaitMs: 6_000,
      };
      progress(`${settings.warmUpCalls} warm-up calls, then ${CALLS} calls, ${settings.width} in flight`);
      const report = await runSoakClient(settings, (fault) => mock.enqueue(fault));
      const byStatus = new Map<number, number>();
      for (const request of mock.requests)
        byStatus.set(request.status, (byStatus.get(request.status) ?? 0) + 1);
      const counted = (name: string) => report.outcomes[name] ?? 0;
      const settled = Object.values(report.outcomes).reduce((sum, n) => sum + n, 0);
      const typedErrors = settled - counted("ok") - counted("untyped");
      const calls = (value: number) => ({ value, unit: "calls" });
      const issued = { what: "calls made", figure: calls(CALLS) };
      const { afterWarmUp, atEnd } = report.memory;
      const rssGrowth = atEnd.rss - afterWarmUp.rss;
      const mb = (bytes: number) => ({ value: bytes / MB, unit: "MB" });
      const errorKinds = Object.entries(report.outcomes)
        .filter(([name]) => name !== "ok")
        .map(([name, n]) => `${name} ${n}`)
        .join(", ");
      const statuses = [...byStatus]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status === 0 ? "no answer (reset/hang)" : status} ×${n}`)
        .join(", ");
      return {
        rows: [
          row("calls settled as success or a typed DatafoldError", calls(counted("ok") + typedErrors), {
            baseline: issued,
            goal: {
              text: `all ${CALLS.toLocaleString("en-US")}`,
              met: counted("ok") + typedErrors === CALLS,
            },
          }),
          row("succeeded", calls(counted("ok")), { baseline: issued }),
          row("surfaced as a typed error", calls(typedErrors), { baseline: issued }),
          row("calls preceded by a scripted fault", calls(report.faultsRequested), { baseline: issued }),
          row(
            "unhandled rejections",
            { value: report.unhandledRejections, unit: "rejections" },
            {
              goal: { text: "0", met: report.unhandledRejections === 0 },
            },
          ),
          row(
            "sockets still open after keep-alive expired",
            { value: report.openSockets, unit: "sockets" },
            {
              goal: { text: "0 (bench's own: a leak)", met: report.openSockets === 0 },
            },
          ),
          row("RSS growth, after GC", mb(rssGrowth), {
            baseline: { what: "RSS after warm-up", figure: mb(afterWarmUp.rss) },
            goal: { text: "< 10 MB", met: rssGrowth < MAX_RSS_GROWTH_BYTES },
          }),
          row("heap growth, after GC", mb(atEnd.heapUsed - afterWarmUp.heapUsed), {
            baseline: { what: "heap after warm-up", figure: mb(afterWarmUp.heapUsed) },
          }),
          row("soak throughput", { value: CALLS / report.seconds, unit: "calls/s" }),
        ],
        notes: [
          `Client process (bench/soak/soak-client.ts, \`--expose-gc\`): \`createDatafoldClient({ timeoutMs: ${settings.timeoutMs}, maxRetries: 1 })\`, ${settings.width} calls in flight; the testing kit runs in the bench process, so its request log is not the client's memory. Memory is read after ${settings.warmUpCalls} fault-free calls and at the end, each after three forced GCs.`,
          `Before one call in ${FAULT_EVERY}, a fault is queued on the kit, in turn 429 with \`Retry-After: 0\`, 503, connection reset, hang; every kind meets calls with retries off (\`maxRetries: 0\`, the fault surfaces) and calls with their retry left (absorbed). A fault goes to whichever request arrives next.`,
          `Outcomes: ok ${counted("ok")}${errorKinds ? `, ${errorKinds}` : ""}. Kit answers: ${statuses} (${mock.requests.length} requests for ${CALLS + settings.warmUpCalls} calls).`,
          report.untyped.length
            ? `Untyped rejections (first few): ${report.untyped.join("; ")}.`
            : "No untyped rejection.",
          report.warnings.length
            ? `Process warnings: ${[...new Set(report.warnings)].join("; ")}.`
            : "No process warning (e.g. MaxListenersExceededWarning).",
        ],
      };
    } finally {
      await mock.close();
    }
  },
};

/** Forks the soak client, relays its fault requests to the kit, and resolves with its report. */
function runSoakClient(
  settings: SoakSettings,
  enqueue: (fault: Extract<ToBench, { type: "fault" }>["fault"]) => void,
): Promise<SoakReport> {
  const child = fork(join(REPO_ROOT, "bench", "soak", "soak-client.ts"), [JSON.stringify(settings)], {
    cwd: REPO_ROOT,
    execArgv: ["--expose-gc", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let report: SoakReport | undefined;
    const deadline = setTimeout(() => {
      child.kill();
      reject(new Error(`the soak did not finish within ${DEADLINE_MS / 1000} s: some calls never settled`));
    }, DEADLINE_MS);
    child.on("message", (message: ToBench) => {
      if (message.type === "done") report = message.report;
      else if (message.type === "progress") progress(`${message.settled} calls settled`);
      else {
        enqueue(message.fault);
        child.send({ type: "ack", id: message.id } satisfies ToClient);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(deadline);
      if (report) resolve(report);
      else reject(new Error(`the soak client exited with ${code} before reporting`));
    });
  });
}
