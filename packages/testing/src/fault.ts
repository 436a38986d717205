/**
 * A scripted misbehaviour for one request. Faults queued with `enqueue(...)` are consumed in order,
 * one per incoming request (whatever its route); requests with no fault left are answered normally.
 *
 * Only `delay` and `reset-mid-body` let the request reach the simulated Datafold (so a trigger
 * starts a run and uses up a run id); the other kinds stand for failures in front of it, unless
 * they say `reachesDatafold: true`: then Datafold handles the request first (a trigger starts its
 * run) and only the answer is lost: "start the run, then answer 502" is
 * `{ kind: "respond", status: 502, reachesDatafold: true }`, "start the run, then never answer" is
 * `{ kind: "hang", reachesDatafold: true }`.
 *
 * @example
 * mock.enqueue(
 *   { kind: "respond", status: 429, headers: { "retry-after": "1" }, body: { detail: "Too Many Requests" } },
 *   { kind: "respond", status: 502, headers: { "content-type": "text/html" }, body: "<h1>502 Bad Gateway</h1>" },
 * ); // the third request is answered normally
 */
export type Fault =
  | {
      readonly kind: "respond";
      /** Any final status, 200–599. */
      readonly status: number;
      /** Sent as given; `content-type` defaults to JSON for object bodies, `text/plain` for strings. */
      readonly headers?: Readonly<Record<string, string>>;
      /** An object (or array, number, null) is sent as JSON, a string as it is, `undefined` as no body. */
      readonly body?: unknown;
      /** Datafold handles the request first (a trigger starts a run); this answer replaces its own. @default false */
      readonly reachesDatafold?: boolean;
    }
  | {
      readonly kind: "delay";
      /** Wait this long, then answer normally. */
      readonly ms: number;
    }
  | {
      /** Never answer; the socket stays open until the client gives up or the mock closes. */
      readonly kind: "hang";
      /** Datafold handles the request first (a trigger starts a run); then nothing is answered. @default false */
      readonly reachesDatafold?: boolean;
    }
  | {
      /** Reset the connection after reading the request, before any response. */
      readonly kind: "reset";
      /** Datafold handles the request first (a trigger starts a run); then the connection is reset. @default false */
      readonly reachesDatafold?: boolean;
    }
  | {
      /** Answer normally but close the connection after half the body (`content-length` announces all of it). */
      readonly kind: "reset-mid-body";
      /** Status to send instead of the normal one. */
      readonly status?: number;
    };

/** The `kind`s of {@link Fault}. */
export type FaultKind = Fault["kind"];

const KINDS: readonly FaultKind[] = ["respond", "delay", "hang", "reset", "reset-mid-body"];

/** Throws a `TypeError` naming the first thing wrong with `fault`, so a typo fails at `enqueue`, not later. */
export function assertFault(fault: unknown, where: string): asserts fault is Fault {
  const fail = (what: string): never => {
    throw new TypeError(`${where}: ${what}, got ${describe(fault)}.`);
  };
  if (fault === null || typeof fault !== "object") fail("a fault must be an object with a `kind`");
  const f = fault as Record<string, unknown>;
  if (!KINDS.includes(f.kind as FaultKind)) fail(`\`kind\` must be one of ${KINDS.join(", ")}`);
  if (f.kind === "respond" || (f.kind === "reset-mid-body" && f.status !== undefined)) {
    if (!isStatus(f.status)) fail(`\`status\` of a "${f.kind}" fault must be an integer from 200 to 599`);
  }
  if (f.kind === "respond" && f.headers !== undefined) {
    const headers = f.headers;
    if (
      headers === null ||
      typeof headers !== "object" ||
      !Object.values(headers).every((v) => typeof v === "string")
    )
      fail("`headers` must map header names to string values");
  }
  if (f.reachesDatafold !== undefined && typeof f.reachesDatafold !== "boolean")
    fail("`reachesDatafold` must be true or false");
  if (f.reachesDatafold !== undefined && !["respond", "hang", "reset"].includes(f.kind as FaultKind))
    fail(
      `\`reachesDatafold\` applies to "respond", "hang" and "reset" faults (a "${String(f.kind)}" always reaches Datafold)`,
    );
  if (f.kind === "delay" && !(typeof f.ms === "number" && Number.isFinite(f.ms) && f.ms >= 0))
    fail("`ms` of a delay must be a finite number of milliseconds, 0 or more");
}

function isStatus(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 200 && (value as number) <= 599;
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
