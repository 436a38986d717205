/** A body Datafold accepts for "Trigger a PR/MR run". */
export const validDetails = {
  pr_number: 7,
  pr_branch: "feature/login",
  base_branch: "main",
  pr_sha: "0f3c2a9",
  base_sha: "9b1d4e7",
} as const;

export const triggerPath = (ciConfigId: number | string) => `/api/v1/ci/${ciConfigId}/trigger`;

export interface SendOptions {
  method?: string;
  /** Defaults to `Key <the mock's key>`; `null` sends no Authorization header. */
  authorization?: string | null;
  /** Defaults to `application/json` when there is a body; `null` sends none. */
  contentType?: string | null;
  /** An object is sent as JSON; a string or bytes as they are. */
  body?: unknown;
  headers?: Record<string, string>;
  redirect?: "follow" | "manual" | "error";
  signal?: AbortSignal;
}

/** Sends one request to `baseUrl` with the mock's key unless told otherwise. */
export function send(
  target: { url?: string; baseUrl?: string; apiKey: string },
  path: string,
  options: SendOptions = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const authorization = options.authorization === undefined ? `Key ${target.apiKey}` : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  let body: string | Uint8Array | undefined;
  if (options.body !== undefined)
    body =
      typeof options.body === "string" || options.body instanceof Uint8Array
        ? options.body
        : JSON.stringify(options.body);
  const contentType =
    options.contentType === undefined
      ? body === undefined
        ? null
        : "application/json"
      : options.contentType;
  if (contentType !== null) headers["content-type"] = contentType;
  return fetch(`${target.url ?? target.baseUrl}${path}`, {
    method: options.method ?? "POST",
    headers,
    ...(body !== undefined && { body }),
    ...(options.redirect && { redirect: options.redirect }),
    ...(options.signal && { signal: options.signal }),
  });
}

/** The `loc` of every 422 detail item. */
export async function locs(response: Response): Promise<unknown[]> {
  const json = (await response.json()) as { detail: { loc: unknown[] }[] };
  return json.detail.map((item) => item.loc);
}

/** Triggers a run for `ciConfigId` (with `details` over {@link validDetails}) and returns the parsed 200 body. */
export async function trigger(
  mock: { url?: string; baseUrl?: string; apiKey: string },
  ciConfigId = 1,
  details: Partial<Record<keyof typeof validDetails, unknown>> = {},
): Promise<unknown> {
  const response = await send(mock, triggerPath(ciConfigId), { body: { ...validDetails, ...details } });
  if (response.status !== 200)
    throw new Error(`trigger answered ${response.status}: ${await response.text()}`);
  return response.json();
}

export const runsPath = (ciConfigId: number, query = "") => `/api/v1/ci/${ciConfigId}/runs${query}`;

/** `GET …/runs` (`query` as `?a=b`); throws unless 200. */
export async function listRuns(
  target: { url?: string; baseUrl?: string; apiKey: string },
  ciConfigId: number,
  query = "",
): Promise<Record<string, unknown>[]> {
  const response = await send(target, runsPath(ciConfigId, query), { method: "GET" });
  if (response.status !== 200) throw new Error(`list answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>[];
}

/** `[id, status]` of each run `GET …/runs` lists, newest first. */
export async function runStatuses(
  target: { url?: string; baseUrl?: string; apiKey: string },
  ciConfigId = 1,
  query = "",
): Promise<unknown[][]> {
  return (await listRuns(target, ciConfigId, query)).map((run) => [run.id, run.status]);
}

/** `text` as UTF-16 bytes, the way a non-UTF-8 client could send JSON. */
export function encodeUtf16(
  text: string,
  { bom, bigEndian }: { bom: boolean; bigEndian: boolean },
): Uint8Array {
  const units = (bom ? "\uFEFF" : "") + text;
  const bytes = new Uint8Array(units.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), !bigEndian);
  return bytes;
}

/** `text` as UTF-32 little-endian bytes, without a BOM. */
export function encodeUtf32le(text: string): Uint8Array {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const bytes = new Uint8Array(points.length * 4);
  const view = new DataView(bytes.buffer);
  for (const [i, point] of points.entries()) view.setUint32(i * 4, point, true);
  return bytes;
}
