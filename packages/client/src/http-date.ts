const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
const MONTH = `(${MONTHS.match(/.../g)!.join("|")})`;
const TIME = "(\\d\\d):(\\d\\d):(\\d\\d)";
// RFC 9110 §5.6.7: the three forms a recipient must accept, each case-sensitive and exact.
const IMF_FIXDATE = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d\\d) ${MONTH} (\\d{4}) ${TIME} GMT$`);
const RFC_850 = new RegExp(
  `^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (\\d\\d)-${MONTH}-(\\d\\d) ${TIME} GMT$`,
);
const ASCTIME = new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ([ \\d]\\d) ${TIME} (\\d{4})$`);

/**
 * The instant an HTTP-date names (RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 or asctime), in
 * milliseconds since the epoch; `undefined` for anything else. `Date.parse` is no substitute: V8
 * reads `-1`, `1 2` and `2, 3` as dates in 2001.
 */
export function parseHttpDate(value: string, now: number): number | undefined {
  type Fields = [string, string, string, string, string, string, string];
  let day: string, month: string, year: string, hour: string, minute: string, second: string;
  const match = (IMF_FIXDATE.exec(value) ?? RFC_850.exec(value)) as Fields | null;
  const asctime = match ? null : (ASCTIME.exec(value) as Fields | null);
  if (match) [, day, month, year, hour, minute, second] = match;
  else if (asctime) [, month, day, hour, minute, second, year] = asctime;
  else return undefined;
  let y = Number(year);
  if (year.length === 2) {
    // A two-digit year more than 50 years ahead is the most recent past year with those digits.
    const latest = new Date(now).getUTCFullYear() + 50;
    for (y += 1900; y + 100 <= latest;) y += 100;
  }
  const [d, h, m, s] = [day, hour, minute, second].map(Number) as [number, number, number, number];
  const monthIndex = MONTHS.indexOf(month) / 3;
  const date = new Date(Date.UTC(y, monthIndex, d, h, m, Math.min(s, 59)));
  // Date.UTC rolls 31 Feb over into March, and 25:00 into the next day: neither was ever a date.
  return h > 23 || m > 59 || s > 60 || date.getUTCDate() !== d ? undefined : date.getTime();
}
