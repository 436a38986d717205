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
 * Decodes a JSON body as Python's `json.loads(bytes)` does (Starlette's `request.json()`): the encoding
 * is sniffed from a BOM or the pattern of zero bytes (`json.detect_encoding`), so UTF-16 and UTF-32
 * bodies are accepted; `undefined` when the bytes are not valid in that encoding (FastAPI's 400).
 */
export function decodeJsonBytes(bytes: Uint8Array): string | undefined {
  const encoding = detectEncoding(bytes);
  try {
    if (encoding.startsWith("utf-32")) return decodeUtf32(bytes, encoding === "utf-32-be");
    // TextDecoder strips a leading BOM for utf-8 and utf-16 by default, as Python's -sig/BOM codecs do.
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function detectEncoding(b: Uint8Array): "utf-8" | "utf-16le" | "utf-16be" | "utf-32-le" | "utf-32-be" {
  const starts = (...prefix: number[]) => prefix.every((byte, i) => b[i] === byte);
  if (starts(0x00, 0x00, 0xfe, 0xff)) return "utf-32-be";
  if (starts(0xff, 0xfe, 0x00, 0x00)) return "utf-32-le";
  if (starts(0xfe, 0xff)) return "utf-16be";
  if (starts(0xff, 0xfe)) return "utf-16le";
  if (b.length >= 4) {
    if (!b[0]) return b[1] ? "utf-16be" : "utf-32-be";
    if (!b[1]) return b[2] || b[3] ? "utf-16le" : "utf-32-le";
  } else if (b.length === 2) {
    if (!b[0]) return "utf-16be";
    if (!b[1]) return "utf-16le";
  }
  return "utf-8";
}

// TextDecoder has no UTF-32 (WHATWG Encoding lists none).
function decodeUtf32(b: Uint8Array, bigEndian: boolean): string {
  if (b.length % 4 !== 0) throw new RangeError("truncated UTF-32");
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let text = "";
  for (let i = 0; i < b.length; i += 4) text += String.fromCodePoint(view.getUint32(i, !bigEndian));
  return text.replace(/^\uFEFF/, "");
}

/**
 * Reads `bytes` the way FastAPI does: parsed as JSON when `content-type` is absent, `application/json`
 * or `application/*+json` (judged as Python's `email.message` judges it), otherwise kept raw.
 */
export function readRequestBody(bytes: Uint8Array, contentType: string | undefined): RequestBody {
  if (bytes.byteLength === 0) return { kind: "absent" };
  if (contentType && !isJsonContentType(contentType)) return { kind: "bytes", text: decodeUtf8(bytes) };
  const text = decodeJsonBytes(bytes);
  if (text === undefined) return { kind: "unreadable" };
  const parsed = parsePythonJson(text);
  if (!parsed.ok) return { kind: "invalid-json", message: parsed.message, position: parsed.position };
  return parsed.value === null ? { kind: "absent" } : { kind: "json", value: parsed.value };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
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
