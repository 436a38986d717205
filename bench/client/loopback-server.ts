/**
 * The client-overhead benchmark's server, run in its own process so its work does not share the
 * bench process's event loop. Answers the trigger operation with a fixed `SubmitCiJob`, a listing of
 * one PR head's newest run with one run, anything else (wrong method, path or missing key) with 400, so every contender must send the same request.
 * Prints `{"port": n}` on stdout once listening; exits when stdin closes.
 */
import { createServer } from "node:http";

const TRIGGER_PATH = /^\/api\/v1\/ci\/\d+\/trigger$/;
const RUNS_PATH = /^\/api\/v1\/ci\/\d+\/runs\?pr_sha=[0-9a-f]+&limit=1$/;
const OK_BODY = JSON.stringify({ ci_run_id: 1, run_id: 1 });
const RUNS_BODY = JSON.stringify([
  {
    id: 1,
    base_branch: "main",
    base_sha: "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432",
    pr_branch: "feature/faster-diffs",
    pr_sha: "0b4f7a3c9d2e18f6a5b4c3d2e1f0a9b8c7d6e5f4",
    pr_num: "42",
    status: "processing",
    source: "api",
  },
]);

const server = createServer((request, response) => {
  if (request.method === "GET" && RUNS_PATH.test(request.url ?? "")) {
    const ok = request.headers.authorization?.startsWith("Key ") === true;
    const body = ok ? RUNS_BODY : JSON.stringify({ detail: "not the list request" });
    response.writeHead(ok ? 200 : 400, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
    request.resume();
    return;
  }
  const valid =
    request.method === "POST" &&
    TRIGGER_PATH.test(request.url ?? "") &&
    request.headers.authorization?.startsWith("Key ") === true &&
    request.headers["content-type"]?.startsWith("application/json") === true;
  let bytes = 0;
  request.on("data", (chunk: Buffer) => (bytes += chunk.length));
  request.on("end", () => {
    const ok = valid && bytes > 0;
    const body = ok ? OK_BODY : JSON.stringify({ detail: "not the trigger request" });
    response.writeHead(ok ? 200 : 400, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
    });
    response.end(body);
  });
});

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
// The parent closes our stdin when it is done (or dies): no orphaned server.
process.stdin.on("end", () => process.exit(0)).resume();
