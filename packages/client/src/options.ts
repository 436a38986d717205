/**
 * Options of {@link createDatafoldClient}. Every one has a default; with `DATAFOLD_API_KEY` set,
 * none is needed.
 *
 * @example
 * createDatafoldClient({ baseUrl: "https://eu.datafold.com", timeoutMs: 10_000, maxRetries: 0 });
 */
export interface DatafoldClientOptions {
  /**
   * The Datafold API key, sent as `Authorization: Key <apiKey>` (a key that already starts with
   * `Key ` is sent as is). Surrounding whitespace is trimmed.
   * @default env.DATAFOLD_API_KEY, then the legacy env.DATAFOLD_APIKEY
   */
  apiKey?: string;
  /**
   * Where Datafold is: a full URL with scheme, e.g. `https://eu.datafold.com` or a dedicated host.
   * A trailing slash and a path prefix (`https://host/datafold/`) work.
   * @default env.DATAFOLD_HOST, else "https://app.datafold.com"
   */
  baseUrl?: string;
  /**
   * How long one attempt may take, from sending the request to the last byte of the response.
   * Each retry gets a fresh `timeoutMs`, clamped to what remains of `totalTimeoutMs`.
   * @default 30_000
   */
  timeoutMs?: number;
  /**
   * How long one call may take in all: every attempt, the waits between them, and for `triggerPrRun`
   * the looks at the PR's runs (`TriggerPrRunOptions.checkForStartedRun`). When it runs out the call ends
   * with a `DatafoldTimeoutError` whose `budget` is `"total"`.
   * @default 120_000
   */
  totalTimeoutMs?: number;
  /**
   * Retries after a connection error, a timeout or an answer with a status in
   * `clientDefaults.retryableStatuses` (`clientDefaults.triggerRetryableStatuses` for `triggerPrRun`),
   * so at most `maxRetries + 1` attempts. `0` turns retries off. An untrusted certificate and a proxy's
   * refusal are never retried.
   * @default 2
   */
  maxRetries?: number;
  /**
   * The `fetch` to send requests with; called with a `Request`.
   * @default globalThis.fetch, looked up per request (so interceptors installed later apply)
   */
  fetch?: typeof globalThis.fetch;
  /** Extra request headers. `Authorization` and `User-Agent` are always the client's own. */
  headers?: Record<string, string>;
  /**
   * Allow sending the API key over plain `http://` to a host that is not loopback.
   * Loopback (`localhost`, `127.0.0.0/8`, `[::1]`) is always allowed.
   * @default false
   */
  allowInsecureHttp?: boolean;
  /**
   * Called before each retry's wait, e.g. to print
   * "rate limited by Datafold, retrying in 2 s (attempt 2 of 3)". An exception thrown here ends
   * the call with that exception.
   */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Told what `triggerPrRun`'s look before a retry finds (see `TriggerPrRunOptions.checkForStartedRun`):
   * the runs that existed before, a run a failed attempt started after all, none, or that runs could not
   * be listed. For progress and debug output.
   */
  onStartedRunCheck?: (event: StartedRunCheckEvent) => void;
  /**
   * Where defaults are read from (`DATAFOLD_API_KEY`, `DATAFOLD_APIKEY`, `DATAFOLD_HOST`).
   * Empty values count as unset.
   * @default process.env where `process` exists, else no variables
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * A product token put before the client's own in `User-Agent`, e.g. `datafold-ci-cli/0.1.0`.
   * Runtimes that forbid setting `User-Agent` (browsers) drop the header silently.
   */
  userAgent?: string;
  /**
   * What error messages call the options above, for tools whose users never see them: a CLI's
   * flags, an action's inputs. Each is used verbatim, in place of the client's own wording.
   *
   * @example
   * createDatafoldClient({
   *   baseUrl: flags.host,
   *   allowInsecureHttp: flags.allowInsecureHttp,
   *   sources: { baseUrl: "--host (from flag --host)", allowInsecureHttp: "--allow-insecure-http" },
   * });
   * // Invalid Datafold client options: baseUrl: --host (from flag --host) is not a full URL (got "app.datafold.com"); …
   */
  sources?: {
    /**
     * Where an `apiKey` option's value came from, and where to give one when none is found.
     * A key read from the environment is still named by its variable.
     * @default "the apiKey option"
     */
    apiKey?: string;
    /**
     * Where a `baseUrl` option's value came from.
     * @default "the baseUrl option"
     */
    baseUrl?: string;
    /**
     * How to allow plain `http://`, as a message suggests it.
     * @default "allowInsecureHttp: true"
     */
    allowInsecureHttp?: string;
  };
}

/** Per-call options of every method; each overrides the client's option of the same name. */
export interface CallOptions {
  /** Aborting it stops the call at once, including a back-off wait; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** @default the client's `timeoutMs` */
  timeoutMs?: number;
  /** @default the client's `totalTimeoutMs` */
  totalTimeoutMs?: number;
  /** @default the client's `maxRetries` */
  maxRetries?: number;
}

/**
 * What `onRetry` is told before the client waits and tries again.
 *
 * @example
 * { method: "triggerPrRun", operation: "Trigger a PR/MR run", attempt: 2, maxAttempts: 3, delayMs: 2000, reason: "status", status: 429 }
 */
export interface RetryEvent {
  /** The client method being retried, e.g. `listCiRuns`. */
  readonly method: string;
  /** The operation's summary in the spec, e.g. `List CI runs`. */
  readonly operation: string;
  /** The attempt about to start: 2, 3, … */
  readonly attempt: number;
  /** `maxRetries + 1`. */
  readonly maxAttempts: number;
  /** The wait before that attempt, in milliseconds. */
  readonly delayMs: number;
  /** Why the previous attempt failed: no connection, no answer within `timeoutMs`, or a retryable status. */
  readonly reason: "connection" | "timeout" | "status";
  /** The previous attempt's status, when `reason` is `"status"`. */
  readonly status?: number;
}

/**
 * What the trigger's look at the PR's runs found, for progress and debug output.
 *
 * @example
 * { type: "found", ciRunId: 1234, attempt: 1 } // attempt 1 failed, yet it started run 1234: returned, not retried
 */
export type StartedRunCheckEvent =
  /** Before the first attempt: the runs that already existed for the PR head, which never count as this call's. */
  | { readonly type: "baseline"; readonly runs: number }
  /** The failed attempt `attempt` started run `ciRunId`; the call resolves with `{ ci_run_id: ciRunId }`. */
  | { readonly type: "found"; readonly ciRunId: number; readonly attempt: number }
  /** The failed attempt `attempt` started no run; the trigger is retried. */
  | { readonly type: "none"; readonly attempt: number }
  /**
   * Runs could not be listed, `before` the first trigger attempt (the baseline) or `after` attempt
   * `attempt` failed. `fallback: "retry"` when Datafold refused the listing (401, 403, 404): the trigger
   * retries without looking; `"stop"` otherwise: an ambiguous failure ends the call rather than trigger
   * again blind.
   */
  | {
      readonly type: "unavailable";
      readonly when: "before" | "after";
      readonly attempt?: number;
      readonly fallback: "retry" | "stop";
      readonly reason: string;
    };

/** Per-call options the look adds to `triggerPrRun`. */
export interface LookForStartedRunOptions {
  /**
   * Before retrying a failure that may have started a run (a timeout, a connection broken after it
   * was made, a 500, 502 or 504), list the PR head's runs and return the run that attempt started
   * instead of triggering again. Costs one `listCiRuns` call before the first attempt (to know the
   * runs that already existed), and one per such failure, both within the call's `totalTimeoutMs`.
   * `false`: retry without looking.
   * @default true
   */
  checkForStartedRun?: boolean;
}
