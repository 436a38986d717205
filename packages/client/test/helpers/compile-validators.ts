import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { ApiDescription, DocumentSentences, DocumentValidators } from "@datafold-ci/api-description";
import { emitValidators } from "../../../../scripts/codegen/emit-validators.js";

const RUNTIME = new URL("../../../api-description/src/", import.meta.url);

/**
 * What `pnpm generate` would compile for an edited description: the same emitter, its module
 * written to a temporary folder (importing the real runtime helpers) and loaded.
 */
export async function compileValidators(
  api: ApiDescription,
): Promise<{ validators: DocumentValidators; sentences: DocumentSentences }> {
  const { js } = emitValidators({ relativePath: "spec/edited.yaml", name: "edited" }, api);
  const code = js.replace(
    /from "\.\.\/([\w-]+)\.js"/g,
    (_, name: string) => `from ${JSON.stringify(new URL(`${name}.ts`, RUNTIME).href)}`,
  );
  const file = join(await mkdtemp(join(tmpdir(), "edited-validators-")), "edited.validators.mjs");
  await writeFile(file, code);
  const module = (await import(pathToFileURL(file).href)) as {
    editedValidators: DocumentValidators;
    editedSentences: DocumentSentences;
  };
  return { validators: module.editedValidators, sentences: module.editedSentences };
}
