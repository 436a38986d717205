import { parsePythonJson } from "./python-json.js";

/** A request body as FastAPI's request handler reads it, before any validation. */
export type RequestBody =
  /** Empty, or the JSON `null`: FastAPI treats both as "no body". */
  | { readonly kind: "absent" }
  | { readonly kind: "json"; readonly value: unknown }
  /** Not declared as JSON: FastAPI keeps the bytes, and validation echoes them decoded. */
  | { readonly kind: "bytes"; readonly text: string | undefined }
  | { readonly kind: "invalid-json"; readonly message: string; readonly position: number }
  /** Declared as JSON but not UTF-8: FastAPI's 400 "There was an error parsing the body". */
  | { readonly kind: "unreadable" };

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads `bytes` the way FastAPI does: parsed as JSON when `content-type` is absent, `application/json`
 * or `application/*+json` (judged as Python's `email.message` judges it), otherwise kept raw.
 */
export function readRequestBody(bytes: Uint8Array, contentType: string | undefined): RequestBody {
  if (bytes.byteLength === 0) return { kind: "absent" };
  let text: string | undefined;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (contentType && !isJsonContentType(contentType)) return { kind: "bytes", text };
  if (text === undefined) return { kind: "unreadable" };
  const parsed = parsePythonJson(text);
  if (!parsed.ok) return { kind: "invalid-json", message: parsed.message, position: parsed.position };
  return parsed.value === null ? { kind: "absent" } : { kind: "json", value: parsed.value };
}

function isJsonContentType(contentType: string): boolean {
  // email.message: the part before ";", stripped and lower-cased; anything without exactly one "/"
  // counts as text/plain.
  const type = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  const parts = type.split("/");
  if (parts.length !== 2) return false;
  const [main, sub = ""] = parts;
  return main === "application" && (sub === "json" || sub.endsWith("+json"));
}
