import axios from "axios";
import createClient from "openapi-fetch";
import type { paths } from "../../packages/types/src/index.js";
import { loadClient } from "../lib/built-packages.js";
import { SAMPLE_CI_CONFIG_ID, SAMPLE_DETAILS } from "../lib/sample-trigger.js";

/** One way of sending one operation's request; resolves with the parsed answer, rejects on anything else. */
export interface Contender {
  key: "fetch" | "openapi-fetch" | "openapi-fetch-timeout" | "axios" | "ours";
  /** As the results table names it. */
  name: string;
  call(): Promise<unknown>;
}

const API_KEY = "bench-key";
const TRIGGER = "/api/v1/ci/{ci_config_id}/trigger";
const RUNS = "/api/v1/ci/{ci_config_id}/runs";
const RUNS_QUERY = { pr_sha: SAMPLE_DETAILS.pr_sha, limit: 1 };

/** The operations the overhead is measured on. */
export type BenchOperation = "trigger" | "list runs";

/**
 * A signal that aborts after the client's default per-attempt timeout, as our client gives each attempt:
 * a fresh controller and a timer, cleared once the answer is read.
 */
async function withTimeout<T>(send: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  try {
    return await send(controller.signal);
  } finally {
    clearTimeout(timer);
  }
}

/** The ways a team could send `operation`'s request (openapi-fetch twice: bare, and with a per-call timeout as ours has), all against `baseUrl`. Raw `fetch` first: the baseline. */
export async function contenders(
  baseUrl: string,
  operation: BenchOperation = "trigger",
): Promise<Contender[]> {
  const { createDatafoldClient } = await loadClient();
  const headers = { Authorization: `Key ${API_KEY}` };
  const clients: Clients = {
    headers,
    bare: createClient<paths>({ baseUrl, headers }),
    viaAxios: axios.create({ baseURL: baseUrl, headers }),
    ours: createDatafoldClient({ apiKey: API_KEY, baseUrl }),
  };
  return operation === "trigger" ? triggerContenders(baseUrl, clients) : listContenders(baseUrl, clients);
}

/** The same three clients, configured alike, for every operation. */
interface Clients {
  readonly headers: Record<string, string>;
  readonly bare: ReturnType<typeof createClient<paths>>;
  readonly viaAxios: ReturnType<typeof axios.create>;
  readonly ours: ReturnType<Awaited<ReturnType<typeof loadClient>>["createDatafoldClient"]>;
}

function listContenders(baseUrl: string, { headers, bare, viaAxios, ours }: Clients): Contender[] {
  const query = new URLSearchParams({ pr_sha: RUNS_QUERY.pr_sha, limit: String(RUNS_QUERY.limit) });
  const url = `${baseUrl}${RUNS.replace("{ci_config_id}", String(SAMPLE_CI_CONFIG_ID))}?${query}`;
  return [
    {
      key: "fetch",
      name: "raw `fetch`",
      async call() {
        const response = await fetch(url, { headers });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      },
    },
    {
      key: "openapi-fetch",
      name: "bare openapi-fetch",
      async call() {
        const { data, response } = await bare.GET(RUNS, {
          params: { path: { ci_config_id: SAMPLE_CI_CONFIG_ID }, query: RUNS_QUERY },
        });
        if (data === undefined) throw new Error(`HTTP ${response.status}`);
        return data;
      },
    },
    {
      key: "openapi-fetch-timeout",
      name: "openapi-fetch with a timeout signal",
      async call() {
        const { data, response } = await withTimeout((signal) =>
          bare.GET(RUNS, {
            params: { path: { ci_config_id: SAMPLE_CI_CONFIG_ID }, query: RUNS_QUERY },
            signal,
          }),
        );
        if (data === undefined) throw new Error(`HTTP ${response.status}`);
        return data;
      },
    },
    {
      key: "axios",
      name: "axios",
      async call() {
        return (await viaAxios.get(url.slice(baseUrl.length))).data;
      },
    },
    { key: "ours", name: "our `listCiRuns`", call: () => ours.listCiRuns(SAMPLE_CI_CONFIG_ID, RUNS_QUERY) },
  ];
}

function triggerContenders(baseUrl: string, { headers, bare, viaAxios, ours }: Clients): Contender[] {
  const url = `${baseUrl}${TRIGGER.replace("{ci_config_id}", String(SAMPLE_CI_CONFIG_ID))}`;
  return [
    {
      key: "fetch",
      name: "raw `fetch`",
      async call() {
        const response = await fetch(url, {
          method: "POST",
          headers: { ...headers, "content-type": "application/json" },
          body: JSON.stringify(SAMPLE_DETAILS),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      },
    },
    {
      key: "openapi-fetch",
      name: "bare openapi-fetch",
      async call() {
        const { data, response } = await bare.POST(TRIGGER, {
          params: { path: { ci_config_id: SAMPLE_CI_CONFIG_ID } },
          body: SAMPLE_DETAILS,
        });
        if (data === undefined) throw new Error(`HTTP ${response.status}`);
        return data;
      },
    },
    {
      key: "openapi-fetch-timeout",
      name: "openapi-fetch with a timeout signal",
      async call() {
        const { data, response } = await withTimeout((signal) =>
          bare.POST(TRIGGER, {
            params: { path: { ci_config_id: SAMPLE_CI_CONFIG_ID } },
            body: SAMPLE_DETAILS,
            signal,
          }),
        );
        if (data === undefined) throw new Error(`HTTP ${response.status}`);
        return data;
      },
    },
    {
      key: "axios",
      name: "axios",
      async call() {
        return (await viaAxios.post(url.slice(baseUrl.length), SAMPLE_DETAILS)).data;
      },
    },
    {
      key: "ours",
      // The look before an ambiguous retry (so a retried trigger never starts a second run) costs a list call per trigger: measured apart
      // (the "list runs" rows), off here so this compares one request with one request.
      name: "our `triggerPrRun`",
      call: () => ours.triggerPrRun(SAMPLE_CI_CONFIG_ID, SAMPLE_DETAILS, { checkForStartedRun: false }),
    },
  ];
}
