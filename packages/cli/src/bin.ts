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
  const { useProxyFromEnv } = await import("./proxy-from-env.js");
  await useProxyFromEnv(process.env);
  const { runCli } = await import("./cli.js");
  // exitCode rather than process.exit(), so stdout and stderr are flushed when piped.
  process.exitCode = await runCli({ argv, env: process.env, stdout: process.stdout, stderr: process.stderr });
}
