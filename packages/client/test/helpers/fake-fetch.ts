/** One scripted answer: a Response, a function of the request, or an error to throw. */
export type Script = Response | Error | ((request: Request) => Response | Promise<Response>);

/** What a scripted fetch saw, one entry per call. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly body: string;
  readonly signal: AbortSignal;
}

/**
 * A `fetch` that answers from `scripts`, one per call, and records every request; the last script
 * repeats. Passed as the client's `fetch` option: no global mocking.
 */
export function scriptedFetch(...scripts: Script[]): typeof globalThis.fetch & { seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const fetch = async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: await request.text(),
      signal: request.signal,
    });
    const script = scripts[Math.min(seen.length, scripts.length) - 1]!;
    if (script instanceof Error) throw script;
    return typeof script === "function" ? script(request) : script.clone();
  };
  return Object.assign(fetch, { seen });
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** Never answers until the request's signal aborts, as a hung server looks to a client. */
export function hang(request: Request): Promise<Response> {
  return new Promise((_, reject) => {
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
}
