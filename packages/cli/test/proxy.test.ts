import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  CURRENT_MAJOR,
  type NodeRuntime,
  RUNTIME_MAJORS,
  resolveRuntimes,
} from "../../../scripts/smoke/node-runtimes.js";
import { ExitCode } from "../src/exit-codes.js";
import { PR_BODY, PR_FLAGS } from "./fixtures/ci-environments.js";
import { type LoopbackProxy, startLoopbackProxy } from "./loopback-proxy.js";
import { type BinRun, runBin } from "./run-bin.js";
import { makeTestCa, type TestCa } from "./test-ca.js";
import { startTlsFront, type TlsFront } from "./tls-front.js";

// Behind a corporate proxy the CLI must reach Datafold through HTTPS_PROXY / HTTP_PROXY and go direct
// for NO_PROXY hosts, the same way on every supported Node (Node 20's fetch ignores the variables, and
// 22's and 24's own support tunnels plain http). The Datafold host is https://datafold.invalid: a name
// only the proxy can resolve (to a TLS front of the testing kit), as on a network where only the
// proxy reaches the internet. Real squid: proxy-squid.test.ts; broken proxies: proxy-failures.test.ts.
const HOST = "datafold.invalid";
let mock: MockDatafold;
let tls: TlsFront;
let proxy: LoopbackProxy;
/** The same proxy, spoken to over TLS (an `https://` proxy URL), with a certificate of the same CA. */
let tlsProxy: LoopbackProxy;
let ca: TestCa;
let runtimes: Map<number, NodeRuntime>;
beforeAll(async () => {
  mock = await startMockDatafold();
  ca = await makeTestCa("datafold-ci test CA");
  [tls, runtimes] = await Promise.all([
    startTlsFront(HOST, Number(new URL(mock.url).port), { ca }),
    resolveRuntimes(RUNTIME_MAJORS),
  ]);
  const route = (target: string) =>
    target === `${HOST}:443` ? { host: "127.0.0.1", port: tls.port } : undefined;
  proxy = await startLoopbackProxy(route);
  tlsProxy = await startLoopbackProxy(route, { tls: await ca.issue(["127.0.0.1"]) });
}, 120_000);
afterAll(async () => {
  await Promise.all([mock?.close(), tls?.close(), proxy?.close(), tlsProxy?.close()]);
  await ca?.close();
});
beforeEach(() => {
  mock.requests.length = 0;
  proxy.passed.length = 0;
  tlsProxy.passed.length = 0;
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

const triggerOn = (major: number, env: Record<string, string>) =>
  runBin(
    ["trigger", ...PR_FLAGS, "--json"],
    { DATAFOLD_API_KEY: mock.apiKey, NODE_EXTRA_CA_CERTS: tls.caFile, ...env },
    { node: nodeFor(major), secrets: [mock.apiKey] },
  );

// Node 22 warns that its own proxy support is experimental when NODE_USE_ENV_PROXY=1 switches it on
// (undici 6's EnvHttpProxyAgent, made at start-up); the CLI does not use it.
const NODE_22_WARNING = /^\(node:\d+\) \[UNDICI-EHPA\] Warning: .*\n\(Use `node --trace-warnings .*\n/;

async function expectRunStarted(run: BinRun): Promise<void> {
  const { ci_run_id } = JSON.parse(run.stdout);
  // Nothing on stderr but the run's line (--json moves it there): no warning, no retry.
  expect(run.stderr.replace(NODE_22_WARNING, "")).toMatch(
    new RegExp(`^Datafold CI run ${ci_run_id} started for PR #7 [^\n]*\n$`),
  );
  expect(run.code).toBe(ExitCode.Ok);
  expect(ci_run_id).toEqual(expect.any(Number));
  const triggers = mock.requests.filter((request) => request.path.endsWith("/trigger"));
  expect(triggers).toMatchObject([{ path: "/api/v1/ci/12/trigger", body: PR_BODY }]);
}

describe.each(RUNTIME_MAJORS.map((major) => ({ major })))("on Node $major", ({ major }) => {
  const trigger = (env: Record<string, string>) => triggerOn(major, env);

  it("reaches an https Datafold host through HTTPS_PROXY (a CONNECT tunnel), name resolved by the proxy", async () => {
    await expectRunStarted(await trigger({ DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: proxy.url }));
    expectAllThroughProxy(`${HOST}:443`);
  });

  it("forwards an http host's requests to HTTP_PROXY in absolute form, never through a tunnel", async () => {
    await expectRunStarted(await trigger({ DATAFOLD_HOST: mock.url, HTTP_PROXY: proxy.url }));
    expect(proxy.passed.map((passed) => passed.method)).toEqual(["GET", "POST"]);
    expect(proxy.passed[1]?.target).toBe(`${mock.url}/api/v1/ci/12/trigger`);
  });

  it("sends the proxy URL's user and password, percent-decoded, as Basic credentials, to a tunnel and a forwarded request", async () => {
    const password = "s3cr#t/p@ss";
    const withUser = proxy.url.replace("//", `//ci%20bot:${encodeURIComponent(password)}@`);
    const basic = `Basic ${Buffer.from(`ci bot:${password}`).toString("base64")}`;
    const env = { DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: withUser };
    const run = await runBin(
      ["trigger", ...PR_FLAGS, "--json", "--debug"],
      { DATAFOLD_API_KEY: mock.apiKey, NODE_EXTRA_CA_CERTS: tls.caFile, ...env },
      { node: nodeFor(major), secrets: [mock.apiKey, password, encodeURIComponent(password)] },
    );
    expect(run.code).toBe(ExitCode.Ok);
    mock.requests.length = 0;
    await expectRunStarted(await trigger({ DATAFOLD_HOST: mock.url, HTTP_PROXY: withUser }));
    expect(proxy.passed.length).toBeGreaterThan(2);
    for (const passed of proxy.passed) expect(passed.proxyAuthorization).toBe(basic);
  });

  it("goes the same way with NODE_USE_ENV_PROXY=1: the CLI's proxy support, not Node's", async () => {
    const env = { DATAFOLD_HOST: mock.url, HTTP_PROXY: proxy.url, NODE_USE_ENV_PROXY: "1" };
    await expectRunStarted(await trigger(env));
    // Node 22's and 24's own support would have tunnelled it (CONNECT).
    expect(proxy.passed.map((passed) => passed.method)).toEqual(["GET", "POST"]);
  });
});

// Behaviours that do not depend on the Node major: on the one running the tests (CI runs each major).
describe(`on this Node (${CURRENT_MAJOR})`, () => {
  const trigger = (env: Record<string, string>) => triggerOn(CURRENT_MAJOR, env);

  it("reads the lower-case https_proxy and http_proxy too", async () => {
    await expectRunStarted(await trigger({ DATAFOLD_HOST: `https://${HOST}`, https_proxy: proxy.url }));
    expectAllThroughProxy(`${HOST}:443`);
    proxy.passed.length = 0;
    mock.requests.length = 0;
    await expectRunStarted(await trigger({ DATAFOLD_HOST: mock.url, http_proxy: proxy.url }));
    expect(proxy.passed.map((passed) => passed.method)).toEqual(["GET", "POST"]);
  });

  it.each([
    ["NO_PROXY", "127.0.0.1"],
    ["no_proxy", "127.0.0.1"],
    ["NO_PROXY", "*"],
    ["NO_PROXY", "example.com, 127.0.0.0/8"],
    // The mock's port, known once it listens.
    ["NO_PROXY", "127.0.0.1:MOCK_PORT"],
  ])("goes direct to a host %s lists (%s)", async (variable, list) => {
    const env = {
      DATAFOLD_HOST: mock.url,
      HTTP_PROXY: proxy.url,
      HTTPS_PROXY: proxy.url,
      [variable]: list.replace("MOCK_PORT", new URL(mock.url).port),
    };
    await expectRunStarted(await trigger(env));
    expect(proxy.passed).toEqual([]);
  });

  it("goes through the proxy when NO_PROXY lists the host with another port", async () => {
    const env = { DATAFOLD_HOST: mock.url, HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1:1" };
    await expectRunStarted(await trigger(env));
    expect(proxy.passed.length).toBeGreaterThan(0);
  });

  it("speaks TLS to an https:// proxy, for a tunnel and for a forwarded request", async () => {
    await expectRunStarted(await trigger({ DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: tlsProxy.url }));
    mock.requests.length = 0;
    await expectRunStarted(await trigger({ DATAFOLD_HOST: mock.url, HTTP_PROXY: tlsProxy.url }));
    const methods = tlsProxy.passed.map((passed) => passed.method);
    expect(methods.filter((method) => method === "CONNECT").length).toBeGreaterThan(0);
    expect(methods.filter((method) => method !== "CONNECT")).toEqual(["GET", "POST"]);
  });

  it("leaves an http host alone when only HTTPS_PROXY is set", async () => {
    await expectRunStarted(await trigger({ DATAFOLD_HOST: mock.url, HTTPS_PROXY: proxy.url }));
    expect(proxy.passed).toEqual([]);
  });
});
