import { join } from "node:path";
import { packageDefines } from "../../scripts/build/tsup-preset.js";
import { bundleParts } from "../footprint/bundle-parts.js";
import { REPO_ROOT } from "../lib/repo.js";
import { row } from "../lib/report.js";
import type { Suite } from "../lib/suite.js";
import { progress } from "../lib/suite.js";

/** The client's bundle, what each of its modules costs in it (the figure `pnpm size` checks as a whole). */
export const bundlePartsSuite: Suite = {
  name: "bundle-parts",
  title: "Client bundle, per part",
  async run() {
    progress(
      "client bundle with a source map (esbuild, minified, ESM, browser), each module left out in turn",
    );
    const clientDir = join(REPO_ROOT, "packages", "client");
    const bundle = await bundleParts(
      join(clientDir, "src", "index.ts"),
      REPO_ROOT,
      packageDefines(clientDir),
    );
    const B = (bytes: number) => ({ value: bytes, unit: "B" });
    return {
      rows: [
        row(
          `whole bundle, min+gzip (${bundle.minified.toLocaleString("en-US")} B minified)`,
          B(bundle.gzipped),
        ),
        ...bundle.parts.map((part) =>
          row(`\`${part.part}\` (${part.minified.toLocaleString("en-US")} B minified)`, B(part.gzipped)),
        ),
      ],
      notes: [
        "Each module's figure is its gzip contribution: how many bytes smaller the gzipped bundle (level 9) is with that module's minified code cut out, the source map saying which output bytes are whose. Gzip shares repeated text across modules, so the contributions add up to less than the whole.",
        "Bundled from `packages/client/src/index.ts` with the build's constants, openapi-fetch included, as `pnpm size` (size-limit, from the built `dist/index.js`) bundles it; `(glue)` is output no module owns (esbuild's exports and wrappers).",
      ],
    };
  },
};
