/**
 * What openapi-fetch constructs in place of a `Request` (its `Request` option) for `triggerPrRun`
 * while no middleware is registered: the URL and `RequestInit` it built, kept as they are, so each
 * attempt is one `fetch(url, init)` — the body still the JSON string, nothing copied or read back.
 * Building openapi-fetch's `Request`, copying it per attempt and reading its body back cost more
 * than the rest of the client together. Middleware is promised a real `Request`, so with middleware
 * the client lets openapi-fetch build its own.
 */
export class PlainRequest {
  readonly url: string;
  readonly init: RequestInit;
  readonly method: string;

  constructor(url: string, init: RequestInit) {
    this.url = url;
    this.init = init;
    this.method = init.method ?? "GET";
  }
}
