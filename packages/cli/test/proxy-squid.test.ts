import { once } from "node:events";
import { createServer } from "node:net";
import { type MockDatafold, startMockDatafold } from "@datafold-ci/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CURRENT_MAJOR, RUNTIME_MAJORS, resolveRuntimes } from "../../../scripts/smoke/node-runtimes.js";
import { ExitCode } from "../src/exit-codes.js";
import { PR_BODY, PR_FLAGS } from "./fixtures/ci-environments.js";
import { type BinRun, timedRunBin } from "./run-bin.js";
import { findSquid, SQUID_VARIABLE, type Squid, startSquid } from "./squid.js";
import { makeTestCa, type TestCa } from "./test-ca.js";
import { startTlsServer } from "./tls-front.js";

// Behind a corporate proxy, as users meet it: Debian's squid with its shipped access rules, which
// forward plain-http requests in absolute form, allow CONNECT to port 443 only, and, with Basic auth,
// answer 407 to a wrong password. Where squid is missing the tests say so and skip; with
// PROXY_TESTS_SQUID set (CI), a missing or broken squid fails them.
const lookup = findSquid();
if (!lookup.found && process.env[SQUID_VARIABLE]) throw new Error(`${SQUID_VARIABLE}: ${lookup.reason}`);
if (!lookup.found) console.warn(`squid tests skipped: ${lookup.reason}`);
const canAuthenticate = lookup.found && lookup.htpasswd !== undefined;
if (lookup.found && !canAuthenticate && process.env[SQUID_VARIABLE])
  throw new Error(`${SQUID_VARIABLE}: htpasswd (apache2-utils) or squid's basic_ncsa_auth is missing`);

const USER = "ci-bot";
// Characters a URL must percent-encode: the CLI must decode them before sending Basic credentials.
const PASSWORD = "p@ss:w/rd%9";
const ENCODED = encodeURIComponent(PASSWORD);

let mock: MockDatafold;
let squid: Squid;
let authSquid: Squid | undefined;
let ca: TestCa;
/** An https Datafold host on 127.0.0.1:443, the one port squid's stock rules tunnel to. */
let https443: { close(): Promise<void> } | undefined;
// Port 443 needs root, or `sysctl net.ipv4.ip_unprivileged_port_start=443` (CI's workflow sets it).
const no443 = lookup.found ? await whyNot443() : "no squid";
if (lookup.found && no443 && process.env[SQUID_VARIABLE])
  throw new Error(`${SQUID_VARIABLE} is set, but ${no443}`);
if (lookup.found && no443) console.warn(`squid's CONNECT-to-443 tests skipped: ${no443}`);
let runtimes: Map<number, string>;
const figures: string[] = [];

beforeAll(async () => {
  if (!lookup.found) return;
  mock = await startMockDatafold();
  ca = await makeTestCa("datafold-ci test CA");
  const [started, auth, resolved] = await Promise.all([
    startSquid(lookup),
    canAuthenticate ? startSquid(lookup, { auth: { user: USER, password: PASSWORD } }) : undefined,
    resolveRuntimes(RUNTIME_MAJORS),
  ]);
  [squid, authSquid] = [started, auth];
  runtimes = new Map([...resolved].map(([major, runtime]) => [major, runtime.execPath]));
  if (!no443)
    https443 = await startTlsServer(await ca.issue(["127.0.0.1"]), Number(new URL(mock.url).port), 443);
}, 120_000);
afterAll(async () => {
  await Promise.all([mock?.close(), squid?.close(), authSquid?.close(), https443?.close()]);
  await ca?.close();
  if (figures.length > 0) console.info(figures.join("\n"));
});
beforeEach(() => {
  if (mock) mock.requests.length = 0;
});

function nodeFor(major: number): string {
  const node = runtimes.get(major);
  if (!node) throw new Error(`Node ${major} was not resolved`);
  return node;
}

async function whyNot443(): Promise<string | undefined> {
  const server = createServer();
  try {
    server.listen(443, "127.0.0.1");
    await Promise.race([
      once(server, "listening"),
      once(server, "error").then(([error]) => Promise.reject(error)),
    ]);
    return undefined;
  } catch (error) {
    return `127.0.0.1:443 cannot be bound here (${(error as NodeJS.ErrnoException).code})`;
  } finally {
    server.close();
  }
}

const triggerRequests = () => mock.requests.filter((request) => request.path.endsWith("/trigger"));

/** The squid tests' helpers for a run on Node `major`. */
function onNode(major: number) {
  const trigger = (env: Record<string, string>, extra: string[] = []) =>
    timedRunBin(
      ["trigger", ...PR_FLAGS, "--json", ...extra],
      { DATAFOLD_API_KEY: mock.apiKey, NODE_EXTRA_CA_CERTS: ca.caFile, ...env },
      { node: nodeFor(major), secrets: [mock.apiKey, PASSWORD, ENCODED] },
    );
  const expectRunStarted = (run: BinRun) => {
    // With --json the started line is all stderr holds: no warning, no retry, no error.
    expect(run.stderr).toMatch(/^Datafold CI run \d+ started for PR #7 \([^\n]*\)\n$/);
    expect(run.code).toBe(ExitCode.Ok);
    expect(JSON.parse(run.stdout)).toMatchObject({ ci_run_id: expect.any(Number) });
    expect(triggerRequests()).toMatchObject([{ path: "/api/v1/ci/12/trigger", body: PR_BODY }]);
  };
  const newLines = async <T>(proxy: Squid, run: () => Promise<T>) => {
    const before = (await proxy.accessLog()).length;
    const result = await run();
    return { run: result, log: (await proxy.accessLog()).slice(before) };
  };

  return { trigger, expectRunStarted, newLines };
}

describe.skipIf(!lookup.found).each(RUNTIME_MAJORS.map((major) => ({ major })))(
  "through squid, on Node $major",
  ({ major }) => {
    const { trigger, expectRunStarted, newLines } = onNode(major);

    it("reaches a plain-http Datafold host through the stock rules: forwarded in absolute form, never tunnelled", async () => {
      const { run, log } = await newLines(squid, () =>
        trigger({ DATAFOLD_HOST: mock.url, HTTP_PROXY: squid.url }),
      );
      expectRunStarted(run);
      expect(log.join("\n")).toMatch(new RegExp(`TCP_MISS/200 \\d+ POST ${mock.url}/api/v1/ci/12/trigger `));
      expect(log.join("\n")).not.toMatch(/CONNECT/);
    });

    it("names the proxy's refusal of a tunnel to a port other than 443, and squid's rule, without retrying", async () => {
      const port = new URL(mock.url).port;
      const { run, log } = await newLines(squid, () =>
        trigger({ DATAFOLD_HOST: `https://127.0.0.1:${port}`, HTTPS_PROXY: squid.url }),
      );
      expect(run.code).toBe(ExitCode.RequestFailed);
      expect(run.stderr).toContain(
        `the proxy at 127.0.0.1:${squid.port} refused the tunnel to 127.0.0.1:${port} (403 Forbidden)`,
      );
      expect(run.stderr).toContain("http_access deny CONNECT !SSL_ports");
      expect(run.stderr).toContain(`port ${port}`);
      expect(run.stderr).not.toMatch(/retrying/);
      expect(log.every((line) => line.includes("TCP_DENIED/403"))).toBe(true);
    });

    describe.skipIf(!canAuthenticate)("with Basic auth", () => {
      const withUser = (password: string) => authSquid!.url.replace("http://", `http://${USER}:${password}@`);

      it("sends the percent-decoded user and password from HTTP_PROXY, and prints neither even with --debug", async () => {
        const { run, log } = await newLines(authSquid!, () =>
          trigger({ DATAFOLD_HOST: mock.url, HTTP_PROXY: withUser(ENCODED) }, ["--debug"]),
        );
        expect(run.code).toBe(ExitCode.Ok);
        expect(triggerRequests()).toHaveLength(1);
        // squid logs the authenticated user of each request.
        expect(log.join("\n")).toMatch(
          new RegExp(`TCP_MISS/200 \\d+ POST ${mock.url}/api/v1/ci/12/trigger ${USER} `),
        );
        expect(run.stderr).toContain(
          `through the proxy at http://127.0.0.1:${authSquid!.port} (from HTTP_PROXY, with a user and password)`,
        );
        // runBin fails the test if the password, raw or encoded, is printed.
      });

      it.each([
        ["HTTP_PROXY", () => mock.url],
        ["HTTPS_PROXY", () => "https://datafold.invalid"],
      ])(
        "says the proxy requires authentication when %s's password is wrong, at once and without retrying",
        async (variable, host) => {
          const { run, log } = await newLines(authSquid!, () =>
            trigger({ DATAFOLD_HOST: host(), [variable]: withUser("wrong") }),
          );
          expect(run.code).toBe(ExitCode.RequestFailed);
          expect(run.stderr).toContain(
            `the proxy at 127.0.0.1:${authSquid!.port} requires authentication (407): check the user and password in ${variable}`,
          );
          expect(run.stderr).not.toMatch(/retrying/);
          // One refused request for the look at the PR's runs, one for the trigger: neither retried.
          expect(log.filter((line) => line.includes("TCP_DENIED/407")).length).toBeLessThanOrEqual(2);
          expect(triggerRequests()).toEqual([]);
          expect(run.elapsedMs).toBeLessThan(5000);
          figures.push(
            `figure: a wrong proxy password (${variable}, squid 407) to a clear error on Node ${major}: ${run.elapsedMs} ms`,
          );
        },
      );
    });
  },
);

// Behaviours that do not depend on the Node major: on the one running the tests (CI runs each major).
describe.skipIf(!lookup.found)(`through squid, on this Node (${CURRENT_MAJOR})`, () => {
  const { trigger, expectRunStarted, newLines } = onNode(CURRENT_MAJOR);
  const withUser = (password: string) => authSquid!.url.replace("http://", `http://${USER}:${password}@`);

  it("says squid could not reach the host when it answers a tunnel with 5xx, with squid's own error", async () => {
    const run = await trigger({ DATAFOLD_HOST: "https://datafold.invalid", HTTPS_PROXY: squid.url }, [
      "--retries",
      "0",
    ]);
    expect(run.code).toBe(ExitCode.RequestFailed);
    // 503 ERR_DNS_FAIL where squid has a resolver; 500 ERR_CANNOT_FORWARD where it has none.
    expect(run.stderr).toMatch(
      new RegExp(
        `error: the proxy at 127\\.0\\.0\\.1:${squid.port} could not open a tunnel to datafold\\.invalid:443 \\(5\\d\\d [A-Za-z ]+; squid: ERR_[A-Z_]+\\): the proxy failed to reach the host; check the host name`,
      ),
    );
  });

  it.skipIf(no443 !== undefined)(
    "reaches an https Datafold host on port 443 through a CONNECT tunnel",
    async () => {
      const { run, log } = await newLines(squid, () =>
        trigger({ DATAFOLD_HOST: "https://127.0.0.1", HTTPS_PROXY: squid.url }),
      );
      expectRunStarted(run);
      expect(log.join("\n")).toMatch(/TCP_TUNNEL\/200 \d+ CONNECT 127\.0\.0\.1:443 /);
    },
  );

  it.skipIf(no443 !== undefined || !canAuthenticate)(
    "authenticates a CONNECT tunnel with the credentials in HTTPS_PROXY",
    async () => {
      const { run, log } = await newLines(authSquid!, () =>
        trigger({ DATAFOLD_HOST: "https://127.0.0.1", HTTPS_PROXY: withUser(ENCODED) }),
      );
      expectRunStarted(run);
      expect(log.join("\n")).toMatch(new RegExp(`TCP_TUNNEL/200 \\d+ CONNECT 127\\.0\\.0\\.1:443 ${USER} `));
    },
  );
});
