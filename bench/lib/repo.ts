import { PNPM as PNPM_ARGS } from "../../scripts/packaging/published-packages.js";

export { REPO_ROOT } from "../../scripts/packaging/published-packages.js";

/** pnpm as a command line: not installed globally here, every call goes through the pinned launcher. */
export const PNPM = ["npx", ...PNPM_ARGS] as const;
