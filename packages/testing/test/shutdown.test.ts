import { request } from "node:http";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import { startMockDatafold } from "../src/index.js";
import { triggerPath, validDetails } from "./helpers.js";

/** Open TCP handles of this process, by kind. */
function tcpHandles(): { servers: number; sockets: number } {
  const resources = process.getActiveResourcesInfo();
  return {
    servers: resources.filter((r) => r === "TCPServerWrap").length,
    sockets: resources.filter((r) => r === "TCPSocketWrap").length,
  };
}

/** A request on its own connection (no agent), settled when its socket closes. */
function rawTrigger(url: string, apiKey: string): Promise<string> {
  return new Promise((resolve) => {
    const req = request(`${url}${triggerPath(1)}`, {
      method: "POST",
      agent: false,
      headers: { authorization: `Key ${apiKey}`, "content-type": "application/json" },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(`answered ${res.statusCode}`));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(`failed ${error.code}`));
    req.end(JSON.stringify(validDetails));
  });
}

const canConnect = (url: string) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(Number(new URL(url).port), "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("close()", () => {
  it("ends hung and delayed requests and leaves no server or socket open", async () => {
    const before = tcpHandles();
    const mock = await startMockDatafold();
    mock.enqueue({ kind: "hang" }, { kind: "delay", ms: 60_000 });
    const hung = rawTrigger(mock.url, mock.apiKey);
    const delayed = rawTrigger(mock.url, mock.apiKey);
    await expect.poll(() => mock.requests.length).toBe(2);

    await mock.close();

    expect(await hung).toBe("failed ECONNRESET");
    expect(await delayed).toBe("failed ECONNRESET");
    expect(await canConnect(mock.url)).toBe(false);
    await expect.poll(tcpHandles).toEqual(before);
  });

  it("closes idle keep-alive connections too", async () => {
    const before = tcpHandles();
    const mock = await startMockDatafold();
    const response = await fetch(`${mock.url}/api/v1/unknown`);
    await response.text();
    await mock.close();
    await expect.poll(tcpHandles).toEqual(before);
  });

  it("can be called twice", async () => {
    const mock = await startMockDatafold();
    await mock.close();
    await expect(mock.close()).resolves.toBeUndefined();
  });
});
