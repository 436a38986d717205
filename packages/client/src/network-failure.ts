import type { ConnectionFailureKind } from "./errors.js";

/** What a `fetch` failure was, as the retry decision and the error's message need it. */
export interface NetworkFailure {
  readonly kind: ConnectionFailureKind;
  /** Whether another attempt can help: never for an untrusted certificate or a proxy's refusal. */
  readonly retryable: boolean;
  /** Whether the request may have reached the server (a connection that broke after it was made). */
  readonly mayHaveArrived: boolean;
  /** `fetch failed: connect ECONNREFUSED 127.0.0.1:9`: the messages down the cause chain. */
  readonly detail: string;
  /** The error code that decided the kind (`ECONNREFUSED`), if one did. */
  readonly code?: string;
}

const DNS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_NODATA"]);
const CONNECT = new Set([
  "ECONNREFUSED",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
]);
// OpenSSL's verification failures as Node reports them, and Node's own host-name check.
const TLS =
  /^(?:CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|ERR_TLS_CERT_ALTNAME_INVALID$|ERR_SSL_)/;

/** Classifies what `fetch` threw by the codes down its cause chain (undici puts the reason in `cause`). */
export function classifyNetworkFailure(cause: unknown): NetworkFailure {
  const codes = collectCodes(cause);
  const detail = describeCause(cause);
  const code = codes.find((c) => DNS.has(c) || CONNECT.has(c) || TLS.test(c)) ?? codes[0];
  if (code !== undefined && TLS.test(code))
    return { kind: "tls", retryable: false, mayHaveArrived: false, detail, code };
  if (code !== undefined && DNS.has(code))
    return { kind: "dns", retryable: true, mayHaveArrived: false, detail, code };
  if (code !== undefined && CONNECT.has(code))
    return { kind: "connect", retryable: true, mayHaveArrived: false, detail, code };
  return {
    kind: "reset",
    retryable: true,
    mayHaveArrived: true,
    detail,
    ...(code !== undefined && { code }),
  };
}

function collectCodes(error: unknown, depth = 0, codes: string[] = []): string[] {
  if (typeof error !== "object" || error === null || depth > 5) return codes;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") codes.push(code);
  // Node's happy-eyeballs connect failure: an AggregateError of one failure per address.
  if (error instanceof AggregateError)
    for (const inner of error.errors) collectCodes(inner, depth + 1, codes);
  return collectCodes((error as { cause?: unknown }).cause, depth + 1, codes);
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:9": undici puts the useful part in `cause`. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    // Node's happy-eyeballs connect failure is an AggregateError with an empty message.
    const message =
      current.message ||
      (current instanceof AggregateError
        ? current.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join(", ")
        : "");
    if (message) parts.push(message);
    current = current.cause;
  }
  return parts.join(": ") || "unknown network error";
}
