/** `250 ms`, `2 s`, `1.5 s`: a wait or a limit, for messages. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}
