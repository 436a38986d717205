import type { CiContext, CiProvider, CiReading } from "./ci-provider.js";
import { ciProviders } from "./providers.js";

/** The CI system found and what it says about the current build. */
export type CiDetection =
  { readonly provider: undefined } | { readonly provider: CiProvider; readonly reading: CiReading };

/**
 * Finds the CI system the process runs in and reads the pull/merge request facts of the build.
 * Pure: everything it reads comes through `context`.
 *
 * @example
 * const detection = await detectCi({ env: process.env, readFile: (p) => readFile(p, "utf8") });
 * if (detection.provider && detection.reading.pullRequest) console.log(detection.reading.values.pr_number);
 */
export async function detectCi(
  context: CiContext,
  providers: readonly CiProvider[] = ciProviders,
): Promise<CiDetection> {
  const provider = providers.find((candidate) => candidate.isActive(context.env));
  if (!provider) return { provider: undefined };
  return { provider, reading: await provider.read(context) };
}
