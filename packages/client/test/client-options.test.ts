import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createDatafoldClient,
  DatafoldInputError,
  clientDefaults,
  type DatafoldClientOptions,
} from "../src/index.js";
import { details, testClient } from "./helpers/client.js";
import { json, scriptedFetch } from "./helpers/fake-fetch.js";
import { rejectionOf, testKey, thrownBy } from "./helpers/secrets.js";

// Client options, seen on the trigger request alone: its look at the PR's runs is off
// (look-for-started-run.test.ts covers it).
const blind = { checkForStartedRun: false } as const;

const ok = () => scriptedFetch(json(200, { ci_run_id: 1, run_id: 1 }));

/** Sends one trigger with `options` (and no environment unless given) and returns what was sent. */
async function sent(options: DatafoldClientOptions) {
  const fetch = ok();
  await createDatafoldClient({ env: {}, fetch, ...options }).triggerPrRun(7, details, blind);
  return fetch.seen[0]!;
}

function inputError(options: DatafoldClientOptions): DatafoldInputError {
  const error = thrownBy(() => createDatafoldClient({ env: {}, fetch: ok(), ...options }));
  expect(error).toBeInstanceOf(DatafoldInputError);
  return error as DatafoldInputError;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("API key", () => {
  it("is sent as `Authorization: Key <key>`", async () => {
    const apiKey = testKey();
    expect((await sent({ apiKey })).headers.get("authorization")).toBe(`Key ${apiKey}`);
  });

  it("is not prefixed twice when it already starts with `Key `", async () => {
    const apiKey = testKey();
    expect((await sent({ apiKey: `Key ${apiKey}` })).headers.get("authorization")).toBe(`Key ${apiKey}`);
  });

  it("has surrounding whitespace trimmed, as a key read from a file ends in a newline", async () => {
    const apiKey = testKey();
    expect((await sent({ apiKey: ` ${apiKey}\n` })).headers.get("authorization")).toBe(`Key ${apiKey}`);
  });

  it("defaults to DATAFOLD_API_KEY", async () => {
    const apiKey = testKey();
    expect((await sent({ env: { DATAFOLD_API_KEY: apiKey } })).headers.get("authorization")).toBe(
      `Key ${apiKey}`,
    );
  });

  it("falls back to the legacy DATAFOLD_APIKEY, and DATAFOLD_API_KEY wins when both are set", async () => {
    const [legacy, current] = [testKey(), testKey()];
    expect((await sent({ env: { DATAFOLD_APIKEY: legacy } })).headers.get("authorization")).toBe(
      `Key ${legacy}`,
    );
    const both = await sent({ env: { DATAFOLD_APIKEY: legacy, DATAFOLD_API_KEY: current } });
    expect(both.headers.get("authorization")).toBe(`Key ${current}`);
  });

  it("is read from process.env when no env option is given", async () => {
    const apiKey = testKey();
    vi.stubEnv("DATAFOLD_API_KEY", apiKey);
    vi.stubEnv("DATAFOLD_HOST", "https://eu.datafold.com");
    const fetch = ok();
    const client = createDatafoldClient({ fetch });
    await client.triggerPrRun(7, details, blind);
    expect(client.baseUrl).toBe("https://eu.datafold.com");
    expect(fetch.seen[0]!.headers.get("authorization")).toBe(`Key ${apiKey}`);
  });

  it("when missing, fails before any request with a message naming both variables and the option", () => {
    const fetch = ok();
    const error = thrownBy(() => createDatafoldClient({ env: {}, fetch }));
    expect(error).toBeInstanceOf(DatafoldInputError);
    expect(error.message).toMatch(/DATAFOLD_API_KEY/);
    expect(error.message).toMatch(/DATAFOLD_APIKEY/);
    expect(error.message).toMatch(/apiKey option/);
    expect((error as DatafoldInputError).issues.map((issue) => issue.field)).toEqual(["apiKey"]);
    expect(fetch.seen).toHaveLength(0);
  });

  it("when set but empty, says so: CI systems withhold secrets from pull requests from forks", () => {
    const error = inputError({ env: { DATAFOLD_API_KEY: "" } });
    expect(error.message).toMatch(/DATAFOLD_API_KEY is set but empty/);
    expect(inputError({ apiKey: "  " }).message).toMatch(/the apiKey option is set but empty/);
  });

  it("is refused, without being quoted, when it holds characters a header cannot carry", () => {
    const apiKey = `${testKey()} ${testKey()}`;
    const error = inputError({ apiKey });
    expect(error.message).toMatch(/spaces, control or non-ASCII characters/);
    expect(error.message).not.toContain(apiKey.split(" ")[0]);
  });
});

describe("base URL", () => {
  const apiKey = "unused-key-for-url-tests";

  it(`defaults to ${clientDefaults.baseUrl}, the spec's server`, async () => {
    expect((await sent({ apiKey })).url).toBe("https://app.datafold.com/api/v1/ci/7/trigger");
  });

  it("is read from DATAFOLD_HOST, and the option wins over it", async () => {
    expect((await sent({ apiKey, env: { DATAFOLD_HOST: "https://eu.datafold.com" } })).url).toBe(
      "https://eu.datafold.com/api/v1/ci/7/trigger",
    );
    const both = await sent({
      apiKey,
      baseUrl: "https://datafold.internal.example",
      env: { DATAFOLD_HOST: "https://eu.datafold.com" },
    });
    expect(both.url).toBe("https://datafold.internal.example/api/v1/ci/7/trigger");
  });

  it("keeps a path prefix and drops a trailing slash", async () => {
    const fetch = ok();
    const client = createDatafoldClient({ apiKey, fetch, baseUrl: "https://host.example/datafold/" });
    await client.triggerPrRun(7, details, blind);
    expect(client.baseUrl).toBe("https://host.example/datafold");
    expect(fetch.seen[0]!.url).toBe("https://host.example/datafold/api/v1/ci/7/trigger");
  });

  it.each([
    ["app.datafold.com", /not a full URL \(got "app\.datafold\.com"\)/],
    ["localhost:8080", /must start with https:\/\//],
    ["https://app.datafold.com/?x=1", /must not have a query or fragment/],
  ])("refuses %j naming where it came from", (value, problem) => {
    const fromOption = inputError({ apiKey, baseUrl: value });
    expect(fromOption.message).toMatch(problem);
    expect(fromOption.message).toMatch(/the baseUrl option/);
    expect(fromOption.issues[0]!.field).toBe("baseUrl");
    expect(inputError({ apiKey, env: { DATAFOLD_HOST: value } }).message).toMatch(/DATAFOLD_HOST /);
  });

  it("refuses a URL with credentials without quoting them", () => {
    const error = inputError({ apiKey, baseUrl: "https://user:hunter2@app.datafold.com" });
    expect(error.message).toMatch(/must not contain a user name or password/);
    expect(error.message).not.toContain("hunter2");
  });

  it("refuses plain http:// to a host that is not loopback, unless allowInsecureHttp is set", async () => {
    const error = inputError({ apiKey, baseUrl: "http://datafold.example" });
    expect(error.message).toMatch(/unencrypted.*allowInsecureHttp: true/);
    expect((await sent({ apiKey, baseUrl: "http://datafold.example", allowInsecureHttp: true })).url).toBe(
      "http://datafold.example/api/v1/ci/7/trigger",
    );
  });

  it.each(["http://localhost:8080", "http://127.0.0.1:9", "http://127.5.6.7", "http://[::1]:3000"])(
    "allows plain http:// to loopback (%s)",
    async (baseUrl) => {
      expect((await sent({ apiKey, baseUrl })).url).toMatch(/^http:\/\/.*\/api\/v1\/ci\/7\/trigger$/);
    },
  );
});

describe("other options", () => {
  const apiKey = "unused-key-for-option-tests";

  it("lists every bad option in one error", () => {
    const error = inputError({ baseUrl: "nope", timeoutMs: 0, maxRetries: -1 });
    expect(error.issues.map((issue) => issue.field)).toEqual([
      "apiKey",
      "baseUrl",
      "timeoutMs",
      "maxRetries",
    ]);
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31])("refuses timeoutMs %s", (timeoutMs) => {
    expect(inputError({ apiKey, timeoutMs }).message).toMatch(/timeoutMs: must be a number of milliseconds/);
  });

  it.each([-1, 1.5, Number.NaN])("refuses maxRetries %s", (maxRetries) => {
    expect(inputError({ apiKey, maxRetries }).message).toMatch(/maxRetries: must be a whole number/);
  });

  it("sends a User-Agent naming the package and version, after the caller's product token", async () => {
    expect((await sent({ apiKey })).headers.get("user-agent")).toBe(
      `${__PACKAGE_NAME__}/${__PACKAGE_VERSION__}`,
    );
    expect((await sent({ apiKey, userAgent: "datafold-ci-cli/0.1.0" })).headers.get("user-agent")).toBe(
      `datafold-ci-cli/0.1.0 @datafold-ci/client/${__PACKAGE_VERSION__}`,
    );
  });

  it("sends extra headers, but never lets them replace the API key", async () => {
    const request = await sent({ apiKey, headers: { "X-Trace": "abc", authorization: "Key other" } });
    expect(request.headers.get("x-trace")).toBe("abc");
    expect(request.headers.get("authorization")).toBe(`Key ${apiKey}`);
  });

  it("refuses a header value that HTTP cannot carry", () => {
    expect(inputError({ apiKey, headers: { "X-Bad": "a\nb" } }).message).toMatch(
      /headers: "X-Bad" is not a valid HTTP header/,
    );
  });

  it("works in a runtime without `process`, reading no environment", () => {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "process")!;
    Reflect.deleteProperty(globalThis, "process");
    try {
      expect(createDatafoldClient({ apiKey }).baseUrl).toBe(clientDefaults.baseUrl);
    } finally {
      Object.defineProperty(globalThis, "process", descriptor);
    }
  });

  it("treats an environment that throws on read (Deno without --allow-env) as empty", () => {
    const env = new Proxy(
      {},
      {
        get: () => {
          throw new Error("Requires env access");
        },
      },
    );
    expect(createDatafoldClient({ apiKey, env }).baseUrl).toBe(clientDefaults.baseUrl);
  });
});

describe("sources: what messages call each option", () => {
  const apiKey = "unused-key-for-source-tests";

  it("names a bad base URL as the caller says, verbatim", () => {
    const error = inputError({
      apiKey,
      baseUrl: "app.datafold.com",
      sources: { baseUrl: "--host (from flag --host)" },
    });
    expect(error.issues).toEqual([
      {
        field: "baseUrl",
        message: `--host (from flag --host) is not a full URL (got "app.datafold.com"); expected one with a scheme, e.g. ${clientDefaults.baseUrl}`,
      },
    ]);
  });

  it("suggests the caller's way to allow plain http://", () => {
    const error = inputError({
      apiKey,
      baseUrl: "http://datafold.example",
      sources: { baseUrl: "--host (from DATAFOLD_HOST)", allowInsecureHttp: "--allow-insecure-http" },
    });
    expect(error.message).toMatch(
      /--host \(from DATAFOLD_HOST\) is plain http:\/\/ to datafold\.example, .*or pass --allow-insecure-http if the network is trusted$/,
    );
    expect(error.message).not.toMatch(/allowInsecureHttp|baseUrl option/);
  });

  it("names the caller's way to give the key, when none is found, when it is empty, and when it is refused", async () => {
    const sources = { apiKey: "the api-key input" };
    expect(inputError({ sources }).message).toMatch(
      /no Datafold API key: pass the api-key input or set DATAFOLD_API_KEY \(legacy name: DATAFOLD_APIKEY\)$/,
    );
    expect(inputError({ apiKey: " ", sources }).message).toMatch(/the api-key input is set but empty/);
    const refused = await rejectionOf(
      testClient({ sources, fetch: scriptedFetch(json(401, { detail: "Invalid API key" })) }).triggerPrRun(
        7,
        details,
      ),
    );
    expect(refused.message).toMatch(/refused the API key from the api-key input \(HTTP 401/);
  });

  it("still names a key read from the environment by its variable", () => {
    const error = inputError({ env: { DATAFOLD_APIKEY: "bad key" }, sources: { apiKey: "--api-key" } });
    expect(error.message).toMatch(/the API key from DATAFOLD_APIKEY contains spaces/);
  });

  it("refuses a source that is not a string", () => {
    const error = inputError({ apiKey, sources: { baseUrl: 3 as unknown as string } });
    expect(error.issues).toEqual([{ field: "sources.baseUrl", message: "must be a string (got number)" }]);
  });
});

describe("unknown options", () => {
  it("are refused with the nearest option's name, rather than silently keeping a default", () => {
    const error = inputError({ apiKey: testKey(), ...({ timeout: 5 } as object) });
    expect(error.issues).toEqual([
      { field: "timeout", message: "is not an option (did you mean timeoutMs?)" },
    ]);
    const typo = inputError({ apiKey: testKey(), ...({ maxRetires: 1, baseURL: "https://x" } as object) });
    expect(typo.issues.map((issue) => issue.message)).toEqual([
      "is not an option (did you mean maxRetries?)",
      "is not an option (did you mean baseUrl?)",
    ]);
  });

  it("are refused per call too, naming the method, and nothing is sent", async () => {
    const fetch = ok();
    const datafold = createDatafoldClient({ apiKey: testKey(), env: {}, fetch });
    const error = await rejectionOf(datafold.listCiRuns(7, {}, { ...({ timeout: 5 } as object) }));
    expect(error).toBeInstanceOf(DatafoldInputError);
    expect(error.message).toBe(
      "Invalid listCiRuns input: timeout: is not an option (did you mean timeoutMs?)",
    );
    // The trigger's own option is known to the trigger alone.
    const notHere = await rejectionOf(
      datafold.listCiRuns(7, {}, { ...({ checkForStartedRun: false } as object) }),
    );
    expect(notHere.message).toMatch(/checkForStartedRun: is not an option/);
    expect(fetch.seen).toHaveLength(0);
  });

  it("in sources are refused too", () => {
    const error = inputError({ apiKey: testKey(), sources: { ...({ host: "--host" } as object) } });
    expect(error.issues[0]).toMatchObject({ field: "sources.host" });
  });
});
