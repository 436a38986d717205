/**
 * The statuses after which a CI run changes no more, as Datafold's official SDK (`datafold-sdk`) treats
 * them; Datafold's document lists no statuses at all. The client's wait ends on them and the testing
 * kit's runs stop on them. Source: docs/datafold-facts.md, "List CI runs and run statuses".
 */
export const TERMINAL_RUN_STATUSES: readonly ["done", "failed", "cancelled"] = [
  "done",
  "failed",
  "cancelled",
];
