const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const LONG_DAY = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)";
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const MONTH = `(${MONTHS.join("|")})`;
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})";

// RFC 9110 §5.6.7: the three forms a recipient must accept, each case-sensitive and exact.
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`);
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * The instant an HTTP-date names (RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 or asctime), in
 * milliseconds since the epoch; `undefined` for anything else. `Date.parse` is no substitute: V8
 * reads `-1`, `1 2` and `2, 3` as dates in 2001 (issue 14).
 */
export function parseHttpDate(value: string, now: number): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match) return instant(match[3]!, match[2]!, match[1]!, match[4]!, match[5]!, match[6]!);
  match = RFC_850.exec(value);
  if (match) {
    const date = instant(`19${match[3]}`, match[2]!, match[1]!, match[4]!, match[5]!, match[6]!);
    if (date === undefined) return undefined;
    return mostRecentCentury(date, now);
  }
  match = ASCTIME.exec(value);
  if (match) return instant(match[6]!, match[1]!, match[2]!.trim(), match[3]!, match[4]!, match[5]!);
  return undefined;
}

function instant(
  year: string,
  month: string,
  day: string,
  hour: string,
  minute: string,
  second: string,
): number | undefined {
  const parts = [year, day, hour, minute, second].map(Number) as [number, number, number, number, number];
  const [y, d, h, m, s] = parts;
  const monthIndex = MONTHS.indexOf(month);
  if (h > 23 || m > 59 || s > 60) return undefined;
  const date = new Date(Date.UTC(y, monthIndex, d, h, m, Math.min(s, 59)));
  // Date.UTC rolls 31 Feb over into March; a date that rolled over was never a date.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== monthIndex || date.getUTCDate() !== d)
    return undefined;
  return date.getTime();
}

/**
 * RFC 9110 §5.6.7: a two-digit year that appears to be more than 50 years in the future is the
 * most recent past year with those digits.
 */
function mostRecentCentury(in1900s: number, now: number): number {
  const fiftyYearsAhead = new Date(now);
  fiftyYearsAhead.setUTCFullYear(fiftyYearsAhead.getUTCFullYear() + 50);
  let date = new Date(in1900s);
  for (;;) {
    const next = new Date(date);
    next.setUTCFullYear(next.getUTCFullYear() + 100);
    if (next.getTime() > fiftyYearsAhead.getTime()) return date.getTime();
    date = next;
  }
}
