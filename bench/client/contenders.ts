import axios from "axios";
import createClient from "openapi-fetch";
import type { paths } from "../../packages/types/src/index.js";
import { loadClient } from "../lib/built-packages.js";
import { SAMPLE_CI_CONFIG_ID, SAMPLE_DETAILS } from "../lib/sample-trigger.js";

/** One way of sending the trigger request; resolves with the parsed `SubmitCiJob`, rejects on anything else. */
export interface Contender {
  key: "fetch" | "openapi-fetch" | "axios" | "ours";
  /** As the results table names it. */
  name: string;
  call(): Promise<unknown>;
}

const API_KEY = "bench-key";
const TRIGGER = "/api/v1/ci/{ci_config_id}/trigger";

/** The four ways a team could send the trigger request, all against `baseUrl`. Raw `fetch` first: the baseline. */
export async function contenders(baseUrl: string): Promise<Contender[]> {
  const { createDatafoldClient } = await loadClient();
  const url = `${baseUrl}${TRIGGER.replace("{ci_config_id}", String(SAMPLE_CI_CONFIG_ID))}`;
  const headers = { Authorization: `Key ${API_KEY}` };
  const bare = createClient<paths>({ baseUrl, headers });
  const viaAxios = axios.create({ baseURL: baseUrl, headers });
  const ours = createDatafoldClient({ apiKey: API_KEY, baseUrl });
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
      key: "axios",
      name: "axios",
      async call() {
        return (await viaAxios.post(url.slice(baseUrl.length), SAMPLE_DETAILS)).data;
      },
    },
    {
      key: "ours",
      name: "our `triggerPrRun`",
      call: () => ours.triggerPrRun(SAMPLE_CI_CONFIG_ID, SAMPLE_DETAILS),
    },
  ];
}
