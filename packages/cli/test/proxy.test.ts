import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type NodeRuntime, RUNTIME_MAJORS, resolveRuntimes } from "../../../scripts/smoke/node-runtimes.js";
import { ExitCode } from "../src/exit-codes.js";
import { PR_BODY, PR_FLAGS } from "./fixtures/ci-environments.js";
import { type LoopbackProxy, startLoopbackProxy } from "./loopback-proxy.js";
import { runBin } from "./run-bin.js";
import { startTlsFront, type TlsFront } from "./tls-front.js";

// Issue 12: behind a corporate proxy the CLI must reach Datafold through HTTPS_PROXY / HTTP_PROXY and
// go direct for NO_PROXY hosts, on every supported Node (Node 20's fetch ignores the variables). The
// Datafold host is https://datafold.invalid: a name only the proxy can resolve (to a TLS front of the
// testing kit), as on a network where only the proxy reaches the internet.
const HOST = "datafold.invalid";
let mock: MockDatafold;
let tls: TlsFront;
let proxy: LoopbackProxy;
let runtimes: Map<number, NodeRuntime>;
beforeAll(async () => {
  mock = await startMockDatafold();
  [tls, runtimes] = await Promise.all([
    startTlsFront(HOST, Number(new URL(mock.url).port)),
    resolveRuntimes(RUNTIME_MAJORS),
  ]);
  proxy = await startLoopbackProxy((target) =>
    target === `${HOST}:443` ? { host: "127.0.0.1", port: tls.port } : undefined,
  );
}, 120_000);
afterAll(async () => {
  await Promise.all([mock?.close(), tls?.close(), proxy?.close()]);
});
beforeEach(() => {
  mock.requests.length = 0;
  proxy.passed.length = 0;
});

function nodeFor(major: number): string {
  const runtime = runtimes.get(major);
  if (!runtime) throw new Error(`Node ${major} was not resolved`);
  return runtime.execPath;
}

/** Every connection went through the proxy to `target` (one per connection the CLI opened: it lists, then triggers). */
function expectAllThroughProxy(target: string): void {
  expect(proxy.passed.length).toBeGreaterThan(0);
  for (const passed of proxy.passed) expect(passed.target).toContain(target);
}

const mockHostPort = () => new URL(mock.url).host;

describe.each(RUNTIME_MAJORS.map((major) => ({ major })))("on Node $major", ({ major }) => {
  const trigger = (env: Record<string, string>) =>
    runBin(
      ["trigger", ...PR_FLAGS, "--json"],
      { DATAFOLD_API_KEY: mock.apiKey, NODE_EXTRA_CA_CERTS: tls.caFile, ...env },
      { node: nodeFor(major), secrets: [mock.apiKey] },
    );
  // Node 22's own proxy support warns that it is experimental (undici 6's EnvHttpProxyAgent); ours does not.
  const NODE_22_WARNING = /^\(node:\d+\) \[UNDICI-EHPA\] Warning: .*\n\(Use `node --trace-warnings .*\n/;
  const expectRunStarted = async (run: Awaited<ReturnType<typeof trigger>>) => {
    const { ci_run_id } = JSON.parse(run.stdout);
    // Nothing on stderr but the run's line (--json moves it there): no warning, no retry.
    expect(run.stderr.replace(NODE_22_WARNING, "")).toMatch(
      new RegExp(`^Datafold CI run ${ci_run_id} started for PR #7 [^\n]*\n$`),
    );
    expect(run.code).toBe(ExitCode.Ok);
    expect(ci_run_id).toEqual(expect.any(Number));
    const triggers = mock.requests.filter((request) => request.path.endsWith("/trigger"));
    expect(triggers).toMatchObject([{ path: "/api/v1/ci/12/trigger", body: PR_BODY }]);
  };

  it.each(["HTTPS_PROXY", "https_proxy"])(
    "reaches an https Datafold host through %s (a CONNECT tunnel), name resolved by the proxy",
    async (variable) => {
      await expectRunStarted(await trigger({ DATAFOLD_HOST: `https://${HOST}`, [variable]: proxy.url }));
      expectAllThroughProxy(`${HOST}:443`);
    },
  );

  it.each(["HTTP_PROXY", "http_proxy"])("sends an http host's request through %s", async (variable) => {
    await expectRunStarted(await trigger({ DATAFOLD_HOST: mock.url, [variable]: proxy.url }));
    expectAllThroughProxy(mockHostPort());
  });

  it.each(["NO_PROXY", "no_proxy"])("goes direct to a host listed in %s", async (variable) => {
    const env = {
      DATAFOLD_HOST: mock.url,
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      [variable]: "127.0.0.1",
    };
    await expectRunStarted(await trigger(env));
    expect(proxy.passed).toEqual([]);
  });

  it("leaves an http host alone when only HTTPS_PROXY is set", async () => {
    await expectRunStarted(await trigger({ DATAFOLD_HOST: mock.url, HTTPS_PROXY: proxy.url }));
    expect(proxy.passed).toEqual([]);
  });

  it("goes through the proxy with NODE_USE_ENV_PROXY=1: Node's own support on 22 and 24, ours on Node 20", async () => {
    const env = { DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: proxy.url, NODE_USE_ENV_PROXY: "1" };
    await expectRunStarted(await trigger(env));
    expectAllThroughProxy(`${HOST}:443`);
  });
});
