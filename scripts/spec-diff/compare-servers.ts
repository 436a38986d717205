import { isDeepStrictEqual } from "node:util";
import type { OpenApiDocument } from "../codegen/spec-documents.js";
import { asObject } from "../codegen/json-object.js";
import { type Report, reportDocumentation } from "./keyword-diff.js";

type Servers = NonNullable<OpenApiDocument["servers"]>;

/**
 * `servers[0].url` is where the client and the CLI send requests by default (baked in at build
 * time), so changing or removing it is major; adding one where there was none only gives
 * callers a default. The other entries reach consumers only as documentation of alternatives: minor.
 */
export function compareServers(before: Servers = [], after: Servers = [], report: Report): void {
  const b = before[0]?.url;
  const a = after[0]?.url;
  const where = "servers[0].url";
  if (b !== a) {
    if (b === undefined) report({ bump: "minor", where, what: `default host added (${a})` });
    else if (a === undefined)
      report({ bump: "major", where, what: `default host removed (was ${b}); callers must now give one` });
    else
      report({
        bump: "major",
        where,
        what: `default host changed (${b} → ${a}); the client and CLI send requests there unless told otherwise`,
      });
  } else if (before[0] !== undefined && after[0] !== undefined) {
    reportDocumentation(asObject(before[0]), asObject(after[0]), "servers[0]", report);
  }
  const others = Math.max(before.length, after.length);
  const changed: string[] = [];
  for (let i = 1; i < others; i++) {
    if (before[i] === undefined) changed.push(`servers[${i}] added`);
    else if (after[i] === undefined) changed.push(`servers[${i}] removed`);
    else if (!isDeepStrictEqual(before[i], after[i])) changed.push(`servers[${i}] changed`);
  }
  if (changed.length > 0)
    report({ bump: "minor", where: "servers", what: `other servers changed (${changed.join(", ")})` });
}
