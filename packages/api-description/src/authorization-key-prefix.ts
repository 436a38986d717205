/**
 * The word Datafold's `ApiKeyAuth` scheme wants before the key in `Authorization`. The spec says so only
 * in prose ("Use the 'Authorization' header with the format 'Key <api-key>'"), and because the scheme is
 * `apiKey` (not `http`) nothing generated adds it: the client sends it and the testing kit checks it.
 * Source: docs/datafold-facts.md, "Hosts and the API key".
 */
export const AUTHORIZATION_KEY_PREFIX = "Key ";
