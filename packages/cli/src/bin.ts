#!/usr/bin/env node
const argv = process.argv.slice(2);
// A reader that stops early (`datafold-ci runs | head -1`) closes the pipe: later writes fail with EPIPE,
// which Node raises as an uncaught error with a stack trace. The output is not wanted any more, but the
// command must still finish (a trigger in flight must not be cut off), so such writes are dropped.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
  });
// `--version` alone is answered before any module loads: version checks in CI scripts cost no more than starting Node.
if (argv.length === 1 && argv[0] === "--version") process.stdout.write(`${__PACKAGE_VERSION__}\n`);
else {
  // With HTTPS_PROXY or HTTP_PROXY set, requests go through the CLI's own proxy support (loaded at the
  // first request), the same on every Node; the programmatic runCli leaves networking to its host program.
  const { readProxySettings } = await import("./net/proxy-settings.js");
  const { settings } = readProxySettings(process.env);
  const network = settings && (await import("./net/lazy-network.js")).lazyProxiedNetwork(settings);
  const { runCli } = await import("./cli.js");
  try {
    // exitCode rather than process.exit(), so stdout and stderr are flushed when piped.
    process.exitCode = await runCli({
      argv,
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      ...(network && { fetch: network.fetch }),
    });
  } finally {
    // Nothing may keep the process alive once the command is done: not a keep-alive socket, not a
    // tunnel a proxy never answered.
    await network?.close();
  }
}
