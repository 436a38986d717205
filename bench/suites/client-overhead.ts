import { isDeepStrictEqual } from "node:util";
import type { BenchOperation, Contender } from "../client/contenders.js";
import { contenders } from "../client/contenders.js";
import { startLoopbackServer } from "../client/start-loopback-server.js";
import { throughput } from "../client/throughput.js";
import type { Row } from "../lib/report.js";
import { row } from "../lib/report.js";
import { median } from "../lib/stats.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

const OPERATIONS: readonly BenchOperation[] = ["trigger", "list runs"];
const MODES = [
  { label: "sequential", width: 1 },
  { label: "16 concurrent", width: 16 },
] as const;
const CALLS_PER_ROUND = 1000;
const WARM_UP_ROUNDS = 2;
const ROUNDS = 10;
/** Our wrapper may cost at most 5 % more per call than bare openapi-fetch; stretch: 0.9 of raw fetch. */
const MAX_COST_OVER_OPENAPI_FETCH = 1.05;
const STRETCH_VS_FETCH = 0.9;

/** `triggerPrRun` and `listCiRuns` against raw `fetch`, bare openapi-fetch and axios, interleaved, on a loopback server. */
export const clientOverheadSuite: Suite = {
  name: "client",
  title: "Client overhead",
  async run() {
    const server = await startLoopbackServer();
    try {
      const rows: Row[] = [];
      for (const operation of OPERATIONS) {
        const list = await contenders(server.url, operation);
        await assertSameAnswer(list);
        for (const mode of MODES) {
          progress(
            `${operation}, ${mode.label}: ${WARM_UP_ROUNDS} warm-up + ${ROUNDS} rounds of ${CALLS_PER_ROUND} calls each`,
          );
          const opsPerSecond = await interleavedRounds(list, mode.width);
          rows.push(...modeRows(`${operation}, ${mode.label}`, list, opsPerSecond));
        }
      }
      return {
        rows,
        notes: [
          `Each round runs ${CALLS_PER_ROUND} calls of one operation per contender, in a rotating order; figures are the median over ${ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up rounds. The server (bench/client/loopback-server.ts) runs in its own process.`,
          "Cost per call compares time per call (1 / ops/s), so ≤ 1.05× means our wrapper adds at most 5 % to a bare openapi-fetch call.",
          "`triggerPrRun` runs with `checkForStartedRun: false`: with the look before an ambiguous retry on (the default), each trigger also lists the PR head's runs once, so it costs one trigger call plus one list call (the `list runs` rows).",
        ],
      };
    } finally {
      await server.stop();
    }
  },
};

/** Median ops/s per contender over interleaved rounds; the first rounds only warm the JIT and sockets. */
async function interleavedRounds(list: Contender[], width: number): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(list.map((c) => [c.name, []]));
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    // Rotate who goes first, so no contender always inherits a cold or a busy moment.
    const order = [...list.slice(round % list.length), ...list.slice(0, round % list.length)];
    for (const contender of order) {
      const ops = await throughput(contender.call, CALLS_PER_ROUND, width);
      if (round >= WARM_UP_ROUNDS) samples.get(contender.name)!.push(ops);
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

function modeRows(label: string, list: Contender[], opsPerSecond: Map<string, number>): Row[] {
  const ops = (contender: Contender) => opsPerSecond.get(contender.name)!;
  const byKey = (key: Contender["key"]) => list.find((contender) => contender.key === key)!;
  const [rawFetch, openapiFetch, ours] = [byKey("fetch"), byKey("openapi-fetch"), byKey("ours")];
  const fetchBaseline = { what: rawFetch.name, figure: { value: ops(rawFetch), unit: "ops/s" } };
  const rows = list.map((contender) =>
    row(
      `${contender.name}, ${label}`,
      { value: ops(contender), unit: "ops/s" },
      {
        ...(contender !== rawFetch && { baseline: fetchBaseline }),
        ...(contender === ours && {
          goal: {
            text: `stretch: ≥ ${STRETCH_VS_FETCH}× raw fetch`,
            met: ops(ours) / ops(rawFetch) >= STRETCH_VS_FETCH,
          },
        }),
      },
    ),
  );
  const costPerCall = (contender: Contender) => ({ value: 1e6 / ops(contender), unit: "µs/call" });
  rows.push(
    row(`our cost per call over bare openapi-fetch, ${label}`, costPerCall(ours), {
      baseline: { what: openapiFetch.name, figure: costPerCall(openapiFetch) },
      goal: {
        text: `≤ ${MAX_COST_OVER_OPENAPI_FETCH}× (≤ 5 % more)`,
        met: ops(openapiFetch) / ops(ours) <= MAX_COST_OVER_OPENAPI_FETCH,
      },
    }),
  );
  // What the per-attempt timeout alone costs openapi-fetch: an AbortSignal makes undici register the
  // request for cleanup and listen for the abort, which a call without one skips.
  const timed = byKey("openapi-fetch-timeout");
  rows.push(
    row(`our cost per call over openapi-fetch with a timeout signal, ${label}`, costPerCall(ours), {
      baseline: { what: timed.name, figure: costPerCall(timed) },
    }),
  );
  return rows;
}

/** A contender that got a different answer would be measuring a different request. */
async function assertSameAnswer(list: Contender[]): Promise<void> {
  const expected = await list[0]!.call();
  for (const contender of list.slice(1)) {
    const actual = await contender.call();
    if (!isDeepStrictEqual(actual, expected)) {
      throw new Error(
        `${contender.name} answered ${JSON.stringify(actual)}, raw fetch ${JSON.stringify(expected)}`,
      );
    }
  }
}
