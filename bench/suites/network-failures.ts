import { once } from "node:events";
import { type AddressInfo, createServer, type Socket } from "node:net";
import { startFaultProxy } from "../../packages/cli/test/fault-proxy.js";
import { closeServer } from "../../packages/cli/test/loopback-proxy.js";
import { findSquid, startSquid } from "../../packages/cli/test/squid.js";
import { makeTestCa } from "../../packages/cli/test/test-ca.js";
import { startTlsServer } from "../../packages/cli/test/tls-front.js";
import { assertCliBuilt, CLI_BIN, loadTesting } from "../lib/built-packages.js";
import { REPO_ROOT } from "../lib/repo.js";
import type { Row } from "../lib/report.js";
import { row } from "../lib/report.js";
import { type ProcessRun, runProcess } from "../lib/run-process.js";
import { SAMPLE_CI_CONFIG_ID, SAMPLE_DETAILS } from "../lib/sample-trigger.js";
import { median } from "../lib/stats.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

/** A name that never resolves (RFC 6761), so the proxy or the resolver decides what happens. */
const UNRESOLVABLE = "datafold.invalid";
/** The key the CLI is given; it must not appear in anything the CLI prints. */
const API_KEY = "bench-network-failures-key-0123456789";
/** Runs of each quick failure; the figure is their median. */
const QUICK_RUNS = 3;
const CLEAR_ERROR_GOAL_MS = 5_000;
const CONNECTIONS_PER_ATTEMPT_GOAL = 5;
/** The shortened budget measured beside the default one. */
const SHORT_MAX_TIME_S = 10;
/** No run here may take longer than this: the default budget (120 s) plus start-up and exit. */
const RUN_LIMIT_MS = 150_000;
/** How long after the CLI exits the dropping proxy is watched for connections that should not come. */
const AFTER_EXIT_MS = 300;
const SQUID_USER = "ci-bot";
/**
 * What the silent-server runs may take past the worst case `--debug` announces: the budget ends the
 * requests on time, and the process still has to print its error and exit.
 */
const EXIT_GRACE_MS = 500;

/**
 * The built CLI against what a locked-down CI network does, all on loopback: a proxy that drops
 * tunnels (connections it sees per attempt), a server that accepts and never answers (wall time
 * beside the worst case `--debug` announces), and the time to a clear error for squid's 407, an
 * untrusted certificate and a name that does not resolve.
 */
export const networkFailuresSuite: Suite = {
  name: "network-failures",
  title: "Network failures",
  async run() {
    await assertCliBuilt();
    const { startMockDatafold } = await loadTesting();
    const mock = await startMockDatafold();
    const dropping = await startFaultProxy("drop");
    const silent = await startSilentServer();
    const ca = await makeTestCa("datafold-ci bench CA");
    const untrusted = await startTlsServer(await ca.issue(["127.0.0.1"]), Number(new URL(mock.url).port));
    const lookup = findSquid();
    const squidSkip = !lookup.found
      ? lookup.reason
      : lookup.htpasswd === undefined
        ? "htpasswd (apache2-utils) or squid's basic_ncsa_auth is missing"
        : undefined;
    const squid =
      lookup.found && squidSkip === undefined
        ? await startSquid(lookup, { auth: { user: SQUID_USER, password: "right-password" } })
        : undefined;
    try {
      const rows: Row[] = [];
      const notes: string[] = [
        "Every command is the built CLI (`node packages/cli/bin/datafold-ci.js …`) in a bare environment (PATH, `DATAFOLD_API_KEY` and the variables shown), against servers on 127.0.0.1 the bench starts; times are spawn to exit.",
        `\`trigger …\` is \`trigger --ci-config-id=${SAMPLE_CI_CONFIG_ID} --pr-num=${SAMPLE_DETAILS.pr_number} --pr-branch=… --base-branch=… --pr-sha=… --base-sha=…\`: it looks at the PR's runs, then triggers. \`runs …\` is \`runs --ci-config-id=${SAMPLE_CI_CONFIG_ID} --pr-num=${SAMPLE_DETAILS.pr_number}\`, one request series.`,
      ];

      progress("a proxy that drops every tunnel");
      for (const command of ["runs", "trigger"] as const) {
        dropping.reset();
        const run = await cli(command, [], {
          DATAFOLD_HOST: `https://${UNRESOLVABLE}`,
          HTTPS_PROXY: dropping.url,
        });
        const atExit = dropping.connections;
        await new Promise((resolve) => setTimeout(resolve, AFTER_EXIT_MS));
        const series = command === "runs" ? 1 : 2;
        const attempts = series + (run.stderr.match(/retrying in/g)?.length ?? 0);
        const perAttempt = dropping.connections / attempts;
        const clear = run.code === 1 && run.stderr.includes("closed the connection without answering");
        rows.push(
          row(
            `proxy drops tunnels: connections per attempt (\`HTTPS_PROXY=<dropping proxy> DATAFOLD_HOST=https://${UNRESOLVABLE} datafold-ci ${command} …\`)`,
            { value: perAttempt, unit: "connections" },
            {
              goal: {
                text: `≤ ${CONNECTIONS_PER_ATTEMPT_GOAL}, with the proxy named`,
                met: perAttempt <= CONNECTIONS_PER_ATTEMPT_GOAL && clear,
              },
            },
          ),
        );
        notes.push(
          `Dropping proxy, \`${command}\`: ${dropping.connections} connections for ${attempts} attempts (${dropping.connections - atExit} after exit, watched ${AFTER_EXIT_MS} ms), exit ${run.code} after ${seconds(run.ms)} s: "${errorLine(run)}".`,
        );
      }

      progress(`a server that accepts and never answers, with --max-time ${SHORT_MAX_TIME_S}`);
      rows.push(await silentRow(silent, ["--max-time", String(SHORT_MAX_TIME_S)], notes));
      progress("a server that accepts and never answers, default settings (up to 2 minutes)");
      rows.push(await silentRow(silent, [], notes));

      if (squid) {
        const withUser = (password: string) =>
          squid.url.replace("http://", `http://${SQUID_USER}:${password}@`);
        for (const [what, proxy, shown] of [
          ["a wrong password", withUser("wrong-password"), `http://${SQUID_USER}:wrong-password@<squid>`],
          ["no credentials", squid.url, "http://<squid>"],
        ] as const) {
          progress(`squid with Basic auth, ${what}`);
          rows.push(
            await clearErrorRow(
              `squid 407, ${what} in HTTPS_PROXY: time to a clear error (\`HTTPS_PROXY=${shown} DATAFOLD_HOST=https://${UNRESOLVABLE} datafold-ci trigger …\`)`,
              { DATAFOLD_HOST: `https://${UNRESOLVABLE}`, HTTPS_PROXY: proxy },
              "requires authentication (407)",
              notes,
            ),
          );
        }
        notes.push(
          `squid: Debian's \`${lookup.found ? lookup.squid : "squid"}\` with its shipped access rules and Basic auth required of everyone (as packages/cli/test/squid.ts starts it).`,
        );
      } else {
        notes.push(`squid 407 not measured: ${squidSkip}`);
      }

      progress("a TLS server whose CA this machine does not trust");
      rows.push(
        await clearErrorRow(
          `untrusted certificate: time to a clear error (\`DATAFOLD_HOST=https://127.0.0.1:<port> datafold-ci trigger …\`)`,
          { DATAFOLD_HOST: `https://127.0.0.1:${untrusted.port}` },
          "is not trusted",
          notes,
        ),
      );
      progress("a host name that does not resolve");
      rows.push(
        await clearErrorRow(
          `unknown host: time to a clear error (\`DATAFOLD_HOST=https://${UNRESOLVABLE} datafold-ci trigger …\`)`,
          { DATAFOLD_HOST: `https://${UNRESOLVABLE}` },
          `the connection to https://${UNRESOLVABLE} failed`,
          notes,
        ),
      );
      notes.push(
        `"Time to a clear error" is the median of ${QUICK_RUNS} runs; its goal is met only when every run exits 1 with the expected words in its \`error:\` line. The untrusted certificate is issued by a CA the bench makes with openssl and does not give the CLI (no \`NODE_EXTRA_CA_CERTS\`).`,
      );
      return { rows, notes };
    } finally {
      await Promise.all([mock.close(), dropping.close(), silent.close(), untrusted.close(), squid?.close()]);
      await ca.close();
    }
  },
};

type Command = "runs" | "trigger";

/** Runs the built CLI with only PATH, the key and `env`; fails if the key shows in its output. */
async function cli(
  command: Command,
  extra: readonly string[],
  env: Record<string, string>,
): Promise<ProcessRun> {
  const flags =
    command === "runs"
      ? [`--ci-config-id=${SAMPLE_CI_CONFIG_ID}`, `--pr-num=${SAMPLE_DETAILS.pr_number}`]
      : [
          `--ci-config-id=${SAMPLE_CI_CONFIG_ID}`,
          `--pr-num=${SAMPLE_DETAILS.pr_number}`,
          `--pr-branch=${SAMPLE_DETAILS.pr_branch}`,
          `--base-branch=${SAMPLE_DETAILS.base_branch}`,
          `--pr-sha=${SAMPLE_DETAILS.pr_sha}`,
          `--base-sha=${SAMPLE_DETAILS.base_sha}`,
        ];
  const run = await runProcess(process.execPath, [CLI_BIN, command, ...flags, ...extra], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, DATAFOLD_API_KEY: API_KEY, ...env },
    allowFailure: true,
    timeoutMs: RUN_LIMIT_MS,
  });
  if (`${run.stdout}${run.stderr}`.includes(API_KEY))
    throw new Error(`datafold-ci ${command} printed the API key`);
  return run;
}

/** {@link QUICK_RUNS} triggers that should fail at once with `expected` in their message. */
async function clearErrorRow(
  what: string,
  env: Record<string, string>,
  expected: string,
  notes: string[],
): Promise<Row> {
  const runs: ProcessRun[] = [];
  for (let i = 0; i < QUICK_RUNS; i++) runs.push(await cli("trigger", [], env));
  const ms = median(runs.map((run) => run.ms));
  const clear = runs.every((run) => run.code === 1 && errorLine(run).includes(expected));
  const slowest = Math.max(...runs.map((run) => run.ms));
  notes.push(
    `${what.split(":")[0]}: exit ${runs.map((run) => run.code).join(", ")}, slowest ${seconds(slowest)} s: "${errorLine(runs[0]!)}".`,
  );
  return row(
    what,
    { value: ms / 1000, unit: "s" },
    {
      goal: {
        text: `< ${CLEAR_ERROR_GOAL_MS / 1000} s, naming the failure`,
        met: clear && slowest < CLEAR_ERROR_GOAL_MS,
      },
    },
  );
}

/**
 * One trigger with `--debug` against the silent server: the time from its first connection to the
 * CLI's exit, beside the worst case the same run announced ("Worst case: N s … from the first request").
 */
async function silentRow(silent: SilentServer, extra: readonly string[], notes: string[]): Promise<Row> {
  silent.reset();
  const run = await cli("trigger", ["--debug", ...extra], { DATAFOLD_HOST: silent.url });
  const exitedAt = performance.now();
  const announced = /^Worst case: (\d+(?:\.\d+)?) s/m.exec(run.stderr)?.[1];
  if (announced === undefined) throw new Error(`--debug printed no "Worst case: N s" line:\n${run.stderr}`);
  const first = silent.firstConnectionAt();
  if (first === undefined)
    throw new Error(`datafold-ci never connected to the silent server:\n${run.stderr}`);
  const measuredMs = exitedAt - first;
  const announcedMs = Number(announced) * 1000;
  const settings = extra.length > 0 ? extra.join(" ") : "default settings";
  notes.push(
    `Silent server, ${settings}: first request to exit ${Math.round(measuredMs)} ms (${Math.round(measuredMs - announcedMs)} ms past the announced ${announced} s), spawn to exit ${Math.round(run.ms)} ms, ${silent.connections()} connections, exit ${run.code}: "${errorLine(run)}".`,
  );
  return row(
    `server accepts and never answers, ${settings}: first request to exit (\`DATAFOLD_HOST=http://127.0.0.1:<port> datafold-ci trigger … --debug${extra.length ? ` ${extra.join(" ")}` : ""}\`)`,
    { value: measuredMs / 1000, unit: "s" },
    {
      baseline: { what: "worst case `--debug` announced", figure: { value: Number(announced), unit: "s" } },
      goal: {
        text: `≤ the announced worst case + ${EXIT_GRACE_MS / 1000} s (the exit after the deadline)`,
        met: run.code === 1 && measuredMs <= announcedMs + EXIT_GRACE_MS,
      },
    },
  );
}

/** A TCP server on 127.0.0.1 that accepts connections and never sends a byte. */
interface SilentServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  connections(): number;
  /** `performance.now()` of the first connection since {@link reset}. */
  firstConnectionAt(): number | undefined;
  reset(): void;
  close(): Promise<void>;
}

async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  let first: number | undefined;
  const server = createServer((socket) => {
    first ??= performance.now();
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    firstConnectionAt: () => first,
    reset() {
      connections = 0;
      first = undefined;
    },
    close: () => closeServer(server, sockets),
  };
}

/** The CLI's `error: …` line (hints and fixes follow it), or its last line when there is none. */
function errorLine(run: ProcessRun): string {
  const lines = run.stderr.trim().split("\n");
  return lines.find((line) => line.startsWith("error:")) ?? lines.at(-1) ?? "";
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}
