import { parseArgs } from "node:util";
import { API_KEY_VARIABLES, datafoldApi } from "@datafold-ci/api-description";
import { DEFAULT_RUN_LIFECYCLE } from "./datafold-ci-runs.js";
import { createDatafoldSimulator, type SimulatedOutcome } from "./datafold-simulator.js";
import type { RunLifecycle } from "./run-lifecycle.js";
import { serveSimulator } from "./mock-datafold.js";
import type { RecordedRequest } from "./recorded-request.js";

const NAME = "datafold-mock";

const USAGE = `Usage: ${NAME} [options]

A local stand-in for ${datafoldApi.title} (${datafoldApi.operations.length} operation${datafoldApi.operations.length === 1 ? "" : "s"}), usable from any language.
Prints its URL as the only line on stdout, logs each request to stderr (never the API key),
and stops cleanly on SIGINT or SIGTERM.

Options:
  --port <n>           port to listen on; 0 picks a free one (default: 0)
  --host <address>     interface to listen on (default: 127.0.0.1)
  --api-key <key>      the key to accept, sent as "Authorization: Key <key>"
                       (default: ${API_KEY_VARIABLES.map((name) => `$${name}`).join(", then ")}, else a
                       generated key, printed to stderr)
  --no-run-for <id>    answer triggers for this CI config id with null run ids, as Datafold
                       does when it starts no run (repeatable, or comma-separated)
  --first-run-id <n>   run id of the first trigger (default: 1)
  --wait-for-diffs <s> how long, in seconds, a run shows "waiting" for its diffs (an upload)
                       before its stages start without them; 0 starts them at the trigger,
                       diffs or not (default: ${DEFAULT_RUN_LIFECYCLE.waitForDiffsMs / 1000})
  --run-lifecycle <l>  how each run's status moves once its wait for diffs ends, as
                       status:seconds stages and a final status, e.g. "processing:90,failed";
                       any status string works (default: "waiting:1,processing:4,done")
  --supersede          a trigger cancels the unfinished runs of the same config and PR,
                       as Datafold does (default: off)
  -h, --help           show this help
  -v, --version        print the version

Example:
  ${NAME} --api-key test-key > mock.url &
  until [ -s mock.url ]; do sleep 0.1; done
  curl -s -X POST "$(cat mock.url)/api/v1/ci/1/trigger" -H "Authorization: Key test-key" \\
    -H "Content-Type: application/json" \\
    -d '{"pr_number":1,"pr_branch":"f","base_branch":"main","pr_sha":"a","base_sha":"b"}'
  kill %1
`;

class UsageError extends Error {}

interface Config {
  readonly port: number;
  readonly host: string;
  readonly apiKey?: string;
  readonly apiKeySource: string;
  readonly noRunFor: number[];
  readonly firstRunId: number;
  readonly runLifecycle?: RunLifecycle;
  readonly supersede: boolean;
}

function parse(argv: readonly string[], env: NodeJS.ProcessEnv): Config | "help" | "version" {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return "help";
  if (values.version) return "version";
  const integer = (flag: string, text: string | undefined, fallback: number, min: number, max: number) => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^-?\d+$/.test(text) || value < min || value > max)
      throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}.`);
    return value;
  };
  const noRunFor = (values["no-run-for"] ?? [])
    .flatMap((list) => list.split(","))
    .map((id) => integer("--no-run-for", id.trim(), 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
  if (values["api-key"] === "") throw new UsageError("--api-key must not be empty.");
  if (values.host === "") throw new UsageError("--host must not be empty.");
  const waitForDiffs = values["wait-for-diffs"];
  if (waitForDiffs !== undefined && !SECONDS.test(waitForDiffs))
    throw new UsageError(
      `--wait-for-diffs must be a number of seconds, 0 or more, got ${JSON.stringify(waitForDiffs)}.`,
    );
  const runLifecycle: RunLifecycle = {
    ...(values["run-lifecycle"] !== undefined && parseLifecycle(values["run-lifecycle"])),
    ...(waitForDiffs !== undefined && { waitForDiffsMs: Number(waitForDiffs) * 1000 }),
  };
  const fromEnv = API_KEY_VARIABLES.find((name) => env[name]);
  const [apiKeySource, apiKey] =
    values["api-key"] !== undefined
      ? ["--api-key", values["api-key"]]
      : fromEnv !== undefined
        ? [fromEnv, env[fromEnv]]
        : ["generated", undefined];
  return {
    port: integer("--port", values.port, 0, 0, 65535),
    host: values.host ?? "127.0.0.1",
    ...(apiKey !== undefined && { apiKey }),
    apiKeySource,
    noRunFor,
    firstRunId: integer("--first-run-id", values["first-run-id"], 1, 0, Number.MAX_SAFE_INTEGER),
    ...(Object.keys(runLifecycle).length > 0 && { runLifecycle }),
    supersede: values.supersede ?? false,
  };
}

/** A number of seconds as the flags take it: `0`, `4`, `4.5`. */
const SECONDS = /^\d+(?:\.\d+)?$/;

/** `"waiting:1,processing:4.5,done"`: status:seconds stages, then the outcome. */
function parseLifecycle(text: string): RunLifecycle {
  const items = text.split(",").map((item) => item.trim());
  const outcome = items.at(-1);
  const stages = items.slice(0, -1).map((item) => {
    const at = item.lastIndexOf(":");
    const seconds = item.slice(at + 1);
    if (at <= 0 || !SECONDS.test(seconds))
      throw new UsageError(
        `--run-lifecycle: each stage must be status:seconds (seconds 0 or more), got ${JSON.stringify(item)} in ${JSON.stringify(text)}.`,
      );
    return { status: item.slice(0, at), ms: Number(seconds) * 1000 };
  });
  if (!outcome || outcome.includes(":"))
    throw new UsageError(
      `--run-lifecycle must end with the final status (e.g. "waiting:1,processing:4,done"), got ${JSON.stringify(text)}.`,
    );
  return { stages, outcome };
}

function parseOptions(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "api-key": { type: "string" },
      "no-run-for": { type: "string", multiple: true },
      "first-run-id": { type: "string" },
      "wait-for-diffs": { type: "string" },
      "run-lifecycle": { type: "string" },
      supersede: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "v" },
    },
  });
}

function describeAnswer(request: RecordedRequest, outcome: SimulatedOutcome["kind"]): string {
  const query = new URLSearchParams(request.query).toString();
  const target = `${request.method} ${request.path}${query ? `?${query}` : ""}`;
  if (outcome === "hang" || outcome === "reset") return `${target} → ${outcome} (scripted fault)`;
  if (outcome === "reset-mid-body") return `${target} → ${request.status}, reset mid-body (scripted fault)`;
  return `${target} → ${request.status}`;
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`${NAME}: ${line}\n`);
  // A reader that goes away (`head -n1`) must not crash the server.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});

  let config: ReturnType<typeof parse>;
  try {
    config = parse(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(`${error.message}\nRun \`${NAME} --help\` for usage.`);
    process.exitCode = 2;
    return;
  }
  if (config === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (config === "version") {
    process.stdout.write(`${__PACKAGE_VERSION__}\n`);
    return;
  }

  let simulator: ReturnType<typeof createDatafoldSimulator>;
  try {
    simulator = createDatafoldSimulator(
      datafoldApi,
      {
        ...(config.apiKey !== undefined && { apiKey: config.apiKey }),
        noRunFor: config.noRunFor,
        firstRunId: config.firstRunId,
        ...(config.runLifecycle && { runLifecycle: config.runLifecycle }),
        supersede: config.supersede,
        onAnswered: (request, outcome) => log(describeAnswer(request, outcome)),
      },
      NAME,
    );
  } catch {
    // The only option left unchecked by parse() is the key, and it must not be echoed.
    log(`the API key from ${config.apiKeySource} has control characters or spaces at either end.`);
    process.exitCode = 2;
    return;
  }
  let mock: Awaited<ReturnType<typeof serveSimulator>>;
  try {
    mock = await serveSimulator(simulator, config, NAME);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const stop = (signal: NodeJS.Signals) => {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    void mock.close().then(() => {
      log(`stopped (${signal})`);
      process.exitCode = 0;
    });
  };
  // Handlers first: a script may send the signal as soon as it has read the URL.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.stdout.write(`${mock.url}\n`);
  const key =
    config.apiKeySource === "generated"
      ? `API key: ${mock.apiKey} (generated; pass --api-key to choose one)`
      : `API key from ${config.apiKeySource}`;
  log(`serving ${datafoldApi.title} (${datafoldApi.version}) at ${mock.url}; ${key}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${NAME}: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
