/**
 * The environment variables an API key for the spec's `ApiKeyAuth` scheme is read from, in order:
 * `DATAFOLD_API_KEY`, then the official CLI's legacy `DATAFOLD_APIKEY`. The client reads the key from
 * them and the testing kit's server accepts the same key, so a test and the code under test agree.
 */
export const API_KEY_VARIABLES: readonly string[] = ["DATAFOLD_API_KEY", "DATAFOLD_APIKEY"];
