import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CURRENT_MAJOR, RUNTIME_MAJORS, resolveRuntimes } from "../../../scripts/smoke/node-runtimes.js";
import { ExitCode } from "../src/exit-codes.js";
import { PR_FLAGS } from "./fixtures/ci-environments.js";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.js";
import { type LoopbackProxy, startLoopbackProxy } from "./loopback-proxy.js";
import { type BinRun, timedRunBin } from "./run-bin.js";
import { makeTestCa, type TestCa } from "./test-ca.js";
import { startTlsServer, type TlsServer } from "./tls-front.js";

// What a locked-down network does to a CI job, on loopback: proxies that drop tunnels, never answer,
// or stall after answering; TLS-inspecting gateways whose CA the machine does not trust; names that
// do not resolve. Each must end the command soon, with a message that names the failure, and leave
// nothing running.
const HOST = "datafold.invalid";
let mock: MockDatafold;
let dropping: FaultProxy;
let silent: FaultProxy;
let stalling: FaultProxy;
let asking: FaultProxy;
let kerberos: FaultProxy;
let internalCa: TestCa;
let gatewayCa: TestCa;
let inspecting: LoopbackProxy;
let direct: TlsServer;
let runtimes: Map<number, string>;
const figures: string[] = [];

beforeAll(async () => {
  mock = await startMockDatafold();
  const mockPort = Number(new URL(mock.url).port);
  [dropping, silent, stalling, asking, kerberos, internalCa, gatewayCa] = await Promise.all([
    startFaultProxy("drop"),
    startFaultProxy("silent"),
    startFaultProxy("stall"),
    startFaultProxy({ status: 407, authenticate: 'Basic realm="corp"' }),
    startFaultProxy({ status: 407, authenticate: "Negotiate" }),
    makeTestCa("Internal Corp CA"),
    makeTestCa("Corp TLS Inspection CA"),
  ]);
  // The gateway ends every tunnel's TLS with a certificate of its own CA, for the host asked for.
  inspecting = await startLoopbackProxy(() => ({ host: "127.0.0.1", port: mockPort }), {
    intercept: await gatewayCa.issue([HOST]),
  });
  direct = await startTlsServer(await internalCa.issue(["127.0.0.1"]), mockPort);
  const resolved = await resolveRuntimes(RUNTIME_MAJORS);
  runtimes = new Map([...resolved].map(([major, runtime]) => [major, runtime.execPath]));
}, 120_000);
afterAll(async () => {
  await Promise.all(
    [mock, dropping, silent, stalling, asking, kerberos, inspecting, direct, internalCa, gatewayCa].map((s) =>
      s?.close(),
    ),
  );
  if (figures.length > 0) console.info(figures.join("\n"));
});
beforeEach(() => {
  for (const proxy of [dropping, silent, stalling, asking, kerberos]) proxy.reset();
  inspecting.passed.length = 0;
});

function nodeFor(major: number): string {
  const node = runtimes.get(major);
  if (!node) throw new Error(`Node ${major} was not resolved`);
  return node;
}

/** Attempts the CLI made: one per request series (the look at the PR's runs, the trigger) plus its retries. */
function attemptsOf(run: BinRun, series: number): number {
  return series + (run.stderr.match(/retrying in/g)?.length ?? 0);
}

/** The built CLI on Node `major`, with the kit's key (hidden in its output), and its trigger with the PR's flags. */
function runnersOn(major: number) {
  const cli = (args: string[], env: Record<string, string>, timeoutMs?: number) =>
    timedRunBin(
      args,
      { DATAFOLD_API_KEY: mock.apiKey, ...env },
      { node: nodeFor(major), secrets: [mock.apiKey], ...(timeoutMs && { timeoutMs }) },
    );
  const trigger = (env: Record<string, string>, extra: string[] = []) =>
    cli(["trigger", ...PR_FLAGS, ...extra], env);
  return { cli, trigger };
}

describe.each(RUNTIME_MAJORS.map((major) => ({ major })))("on Node $major", ({ major }) => {
  const { cli, trigger } = runnersOn(major);

  it("says the proxy closed the connection, opens at most a few per attempt, and exits", async () => {
    const run = await cli(
      ["runs", "--ci-config-id=12", "--pr-num=7"],
      { DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: dropping.url },
      15_000,
    );
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain(
      `the proxy at ${new URL(dropping.url).host} closed the connection without answering the tunnel request to ${HOST}:443 (3 attempts)`,
    );
    const attempts = attemptsOf(run, 1);
    expect(attempts).toBe(3);
    const perAttempt = dropping.connections / attempts;
    expect(perAttempt).toBeLessThanOrEqual(5);
    // Nothing keeps connecting once the command is done.
    const seen = dropping.connections;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(dropping.connections).toBe(seen);
    figures.push(
      `figure: connections per attempt when the proxy drops tunnels, Node ${major}: ${perAttempt} (${dropping.connections} for ${attempts} attempts, ${run.elapsedMs} ms)`,
    );
  });

  it("does not retry a certificate this machine does not trust, and says which check failed, for which host, and the fixes", async () => {
    const before = direct.connections();
    const run = await trigger({ DATAFOLD_HOST: `https://127.0.0.1:${direct.port}` });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain(
      `the certificate of 127.0.0.1:${direct.port} is not trusted: its issuer is not a certificate authority this machine trusts (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`,
    );
    expect(run.stderr).toContain("NODE_EXTRA_CA_CERTS=<ca.pem>");
    if (major >= 22) expect(run.stderr).toContain("NODE_USE_SYSTEM_CA=1");
    else expect(run.stderr).toMatch(/Node 20 cannot use the system's store/);
    expect(run.stderr).toContain("Not retried");
    expect(run.stderr).not.toMatch(/retrying/);
    // One handshake for the look at the PR's runs, one for the trigger.
    expect(direct.connections() - before).toBeLessThanOrEqual(2);
    expect(run.elapsedMs).toBeLessThan(5000);
    figures.push(`figure: an untrusted certificate to a clear error on Node ${major}: ${run.elapsedMs} ms`);
  });

  it("names the TLS-inspecting gateway's untrusted certificate through HTTPS_PROXY, and GitLab's CA file", async () => {
    const env = { DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: inspecting.url };
    const gitlab = { GITLAB_CI: "true", CI_SERVER_TLS_CA_FILE: "/builds/tmp/CI_SERVER_TLS_CA_FILE" };
    const run = await trigger({ ...env, ...gitlab });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain(`the certificate of ${HOST}:443 is not trusted`);
    expect(run.stderr).toContain(
      `The proxy at ${new URL(inspecting.url).host} (from HTTPS_PROXY) may be inspecting TLS`,
    );
    expect(run.stderr).toContain("NODE_EXTRA_CA_CERTS=$CI_SERVER_TLS_CA_FILE");
    expect(inspecting.passed.length).toBeLessThanOrEqual(2);
    // With the gateway's CA, the same run goes through.
    expect((await trigger({ ...env, NODE_EXTRA_CA_CERTS: gatewayCa.caFile })).code).toBe(ExitCode.Ok);
  });
});

// Behaviours that do not depend on the Node major: on the one running the tests (CI runs each major).
describe(`on this Node (${CURRENT_MAJOR})`, () => {
  const major = CURRENT_MAJOR;
  const { cli, trigger } = runnersOn(major);

  it("a trigger through a proxy that drops tunnels ends within seconds, not minutes", async () => {
    const run = await trigger({ DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: dropping.url });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(/closed the connection without answering the tunnel request/);
    expect(dropping.connections / attemptsOf(run, 2)).toBeLessThanOrEqual(5);
    expect(run.elapsedMs).toBeLessThan(10_000);
  });

  it("gives up on a proxy that never answers when the attempts time out, names it, and exits at once", async () => {
    const run = await cli(["runs", "--ci-config-id=12", "--pr-num=7", "--timeout", "1", "--retries", "1"], {
      DATAFOLD_HOST: `https://${HOST}`,
      HTTPS_PROXY: silent.url,
    });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(/did not answer within 1 s \(2 attempts\)/);
    expect(run.stderr).toContain(`through the proxy at ${new URL(silent.url).host} (from HTTPS_PROXY)`);
    expect(silent.connections / attemptsOf(run, 1)).toBeLessThanOrEqual(5);
    // Two 1 s attempts and a back-off: the process must not wait for the unanswered tunnels after them.
    expect(run.elapsedMs).toBeLessThan(5000);
  });

  it("gives up on a tunnel that stalls after the proxy's 200, and exits at once", async () => {
    const run = await trigger({ DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: stalling.url }, [
      "--timeout",
      "1",
      "--retries",
      "0",
    ]);
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toMatch(/did not answer within 1 s/);
    expect(stalling.connections).toBeLessThanOrEqual(2 * 5);
    expect(run.elapsedMs).toBeLessThan(6000);
  });

  it("says the proxy wants credentials HTTPS_PROXY does not give (407), without retrying", async () => {
    const run = await trigger({ DATAFOLD_HOST: `https://${HOST}`, HTTPS_PROXY: asking.url });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain(
      `the proxy at ${new URL(asking.url).host} requires authentication (407): check the user and password in HTTPS_PROXY`,
    );
    expect(run.stderr).toContain("HTTPS_PROXY has none: http://user:password@host:port");
    expect(run.stderr).not.toMatch(/retrying/);
    expect(asking.connections).toBeLessThanOrEqual(2);
  });

  it("says when the proxy asks for a scheme other than Basic", async () => {
    const run = await trigger({
      DATAFOLD_HOST: `https://${HOST}`,
      HTTPS_PROXY: kerberos.url.replace("//", "//me:pw@"),
    });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain(
      "the proxy asks for Negotiate authentication; datafold-ci sends Basic credentials only",
    );
  });

  it("trusts the CA given in NODE_EXTRA_CA_CERTS", async () => {
    const run = await trigger({
      DATAFOLD_HOST: `https://127.0.0.1:${direct.port}`,
      NODE_EXTRA_CA_CERTS: internalCa.caFile,
    });
    expect(run.code).toBe(ExitCode.Ok);
  });

  it("keeps the message for a host that does not resolve, and gives up within seconds", async () => {
    const run = await trigger({ DATAFOLD_HOST: `https://${HOST}` });
    expect(run.code).toBe(ExitCode.RequestFailed);
    expect(run.stderr).toContain(`the connection to https://${HOST} failed (ENOTFOUND)`);
    expect(run.elapsedMs).toBeLessThan(5000);
    figures.push(`figure: an unknown host to a clear error on Node ${major}: ${run.elapsedMs} ms`);
  });
});
