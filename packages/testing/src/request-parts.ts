import type { RequestBody } from "./request-body.js";

/** A request split into the parts FastAPI reads parameters and credentials from. */
export interface RequestParts {
  /** Path parameters, percent-decoded, as the route matched them. */
  readonly pathParams: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: Readonly<Record<string, string>>;
  readonly body: RequestBody;
}

/** Starlette's `cookie_parser`: `;`-separated `name=value` pairs, surrounding spaces dropped. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const chunk of (header ?? "").split(";")) {
    const [name = "", ...rest] = chunk.includes("=") ? chunk.split("=") : ["", chunk];
    const key = name.trim();
    const value = rest.join("=").trim();
    if (key || value) cookies[key] = value;
  }
  return cookies;
}
