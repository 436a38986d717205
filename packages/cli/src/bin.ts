#!/usr/bin/env node
const argv = process.argv.slice(2);
// `--version` alone is answered before any module loads: version checks in CI scripts cost no more than starting Node.
if (argv.length === 1 && argv[0] === "--version") process.stdout.write(`${__PACKAGE_VERSION__}\n`);
else {
  const { useProxyFromEnv } = await import("./proxy-from-env.js");
  await useProxyFromEnv(process.env);
  const { runCli } = await import("./cli.js");
  // exitCode rather than process.exit(), so stdout and stderr are flushed when piped.
  process.exitCode = await runCli({ argv, env: process.env, stdout: process.stdout, stderr: process.stderr });
}
