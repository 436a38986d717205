/**
 * What `onRetry` is told before the client waits and tries again.
 *
 * @example
 * { attempt: 2, maxAttempts: 3, delayMs: 2000, reason: "status", status: 429 }
 */
export interface RetryEvent {
  /** The attempt about to start: 2, 3, … */
  attempt: number;
  /** `maxRetries + 1`. */
  maxAttempts: number;
  /** The wait before that attempt, in milliseconds. */
  delayMs: number;
  /** Why the previous attempt failed: no connection, no answer within `timeoutMs`, or a retryable status. */
  reason: "connection" | "timeout" | "status";
  /** The previous attempt's status, when `reason` is `"status"`. */
  status?: number;
}
