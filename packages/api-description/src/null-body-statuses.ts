/**
 * The Fetch standard's "null body statuses": a `Response` constructed with one of these and a body
 * throws, so whoever builds a `Response` from a status (the client copying an answer, the testing kit
 * answering or injecting a fault) leaves the body out for them. One list, so those places cannot disagree.
 */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
