/**
 * Every variable a proxy URL, and so a password, may come from: the four the CLI reads (lower case first,
 * as curl reads them) and `ALL_PROXY`, which it does not read but whose password is hidden all the same.
 */
export const PROXY_URL_VARIABLES: readonly string[] = [
  "https_proxy",
  "HTTPS_PROXY",
  "http_proxy",
  "HTTP_PROXY",
  "all_proxy",
  "ALL_PROXY",
];

/**
 * A proxy variable's value as a URL, read as curl reads it: without a scheme (`user:pw@proxy:3128`) it is
 * `http://`. `undefined` when it is no URL at all.
 */
export function proxyUrl(value: string): URL | undefined {
  try {
    return new URL(/^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return undefined;
  }
}

/** A URL's user or password percent-decoded; as written when its escapes are malformed. */
export function decodeUrlPart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The password of a proxy variable's value, as written and percent-decoded; none when it has none or is no URL. */
export function proxyPasswords(value: string | undefined): string[] {
  const url = value?.trim() ? proxyUrl(value.trim()) : undefined;
  if (url === undefined || url.password === "") return [];
  return [...new Set([url.password, decodeUrlPart(url.password)])];
}
