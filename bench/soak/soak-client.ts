/**
 * The soak's client process (run with --expose-gc, so memory is read after a full collection): many
 * `triggerPrRun` calls against the testing kit, a scripted fault before one call in twenty. Only the
 * client lives here, so resident memory is the client's, not the mock's request log.
 */
import { setTimeout } from "node:timers/promises";
import type { Fault } from "../../packages/testing/dist/index.js";
import { loadClient } from "../lib/built-packages.js";
import { SAMPLE_CI_CONFIG_ID, SAMPLE_DETAILS } from "../lib/sample-trigger.js";
import type { Memory, SoakReport, SoakSettings, ToBench, ToClient } from "./protocol.js";

/** The fault mix, in turn: rate limiting, a server error, a dropped connection, a hang. */
const FAULTS: Fault[] = [
  { kind: "respond", status: 429, headers: { "retry-after": "0" }, body: { detail: "Too many requests" } },
  { kind: "respond", status: 503, body: { detail: "Service unavailable" } },
  { kind: "reset" },
  { kind: "hang" },
];

const settings = JSON.parse(process.argv[2]!) as SoakSettings;
const gc = globalThis.gc;
if (!gc || !process.send) throw new Error("run me from bench/suites/soak.ts (needs --expose-gc and IPC)");
const send = process.send.bind(process) as (message: ToBench) => void;

let unhandledRejections = 0;
process.on("unhandledRejection", () => unhandledRejections++);
const warnings: string[] = [];
process.on("warning", (warning) => warnings.push(`${warning.name}: ${warning.message}`));

const acks = new Map<number, () => void>();
process.on("message", (message: ToClient) => acks.get(message.id)?.());
let faultsRequested = 0;
function queueFault(fault: Fault): Promise<void> {
  const id = ++faultsRequested;
  return new Promise((resolve) => {
    acks.set(id, () => {
      acks.delete(id);
      resolve();
    });
    send({ type: "fault", id, fault });
  });
}

const { createDatafoldClient, DatafoldError } = await loadClient();
// One retry: a fault on a call's only attempt surfaces (calls with retries off), a single fault on a
// call with its retry left is absorbed.
const client = createDatafoldClient({
  apiKey: settings.apiKey,
  baseUrl: settings.url,
  timeoutMs: settings.timeoutMs,
  maxRetries: 1,
});
const outcomes: Record<string, number> = {};
const untyped: string[] = [];
let settled = 0;

async function runCalls(count: number, withFaults: boolean): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const faultNumber = Math.floor(index / settings.faultEvery);
      const faulted = withFaults && index % settings.faultEvery === settings.faultEvery - 1;
      if (faulted) await queueFault(FAULTS[faultNumber % FAULTS.length]!);
      // Every kind of fault meets both a call with retries off and one with its retry left.
      const options = faulted && Math.floor(faultNumber / FAULTS.length) % 2 === 0 ? { maxRetries: 0 } : {};
      // Each call its own PR head, as pipelines have: the trigger lists its head's runs before it
      // starts one (so a retry never starts a second), and one head with thousands of runs would measure the kit, not the client.
      const details = {
        ...SAMPLE_DETAILS,
        pr_sha: `${SAMPLE_DETAILS.pr_sha.slice(0, 32)}${index.toString(16).padStart(8, "0")}`,
      };
      const outcome = await client.triggerPrRun(SAMPLE_CI_CONFIG_ID, details, options).then(
        () => "ok",
        (error: unknown) => {
          if (error instanceof DatafoldError) return error.name;
          if (untyped.length < 5)
            untyped.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
          return "untyped";
        },
      );
      if (!withFaults) continue;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (++settled % 1000 === 0) send({ type: "progress", settled });
    }
  };
  await Promise.all(Array.from({ length: settings.width }, worker));
}

async function settledMemory(): Promise<Memory> {
  // Several passes, with turns of the event loop between them, let finalizers and weak refs clear.
  for (let pass = 0; pass < 3; pass++) {
    gc!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}

await runCalls(settings.warmUpCalls, false);
const afterWarmUp = await settledMemory();
const start = performance.now();
await runCalls(settings.calls, true);
const seconds = (performance.now() - start) / 1000;
// Idle keep-alive sockets close after the server's hint (the kit sends Node's default, 5 s); whatever
// is still open after that belongs to a request nobody is waiting for.
await setTimeout(settings.idleSocketWaitMs);
const openSockets = process
  .getActiveResourcesInfo()
  .filter((resource) => resource === "TCPSocketWrap").length;
const atEnd = await settledMemory();
const report: SoakReport = {
  outcomes,
  untyped,
  faultsRequested,
  unhandledRejections,
  warnings,
  openSockets,
  seconds,
  memory: { afterWarmUp, atEnd },
};
// Exit once the report is out, even if leaked sockets would keep the event loop alive: they are
// reported, not waited out.
process.send({ type: "done", report } satisfies ToBench, () => process.exit(0));
