/**
 * The string formats the generated validators check (`format` in a schema), each a small function of
 * our own so that no format library ships in a published bundle. They accept what a FastAPI server
 * writes and reads: pydantic writes a naive `datetime` without an offset, so the offset (and the
 * seconds) are optional here where RFC 3339 requires them. `pnpm generate` fails for a format not
 * listed in {@link FORMAT_CHECKS}.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))?$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** `2024-05-01`: a calendar date that exists. */
export function isDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

/** `12:30`, `12:30:00.5`, `12:30:00+02:00`: a time of day, with an optional offset. */
export function isTime(text: string): boolean {
  const match = TIME.exec(text);
  if (!match) return false;
  const [hour, minute, second = 0, offsetHour = 0, offsetMinute = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  // 60 seconds: a leap second, which RFC 3339 allows.
  return hour! <= 23 && minute! <= 59 && second <= 60 && offsetHour <= 23 && offsetMinute <= 59;
}

/** `2024-05-01T12:30:00Z`: a date, `T` (or a space, as Python's `str(datetime)` writes), a time. */
export function isDateTime(text: string): boolean {
  const separator = text.slice(10, 11);
  return (
    (separator === "T" || separator === "t" || separator === " ") &&
    isDate(text.slice(0, 10)) &&
    isTime(text.slice(11))
  );
}

/** An absolute URI: a scheme, a colon, and no whitespace (`https://app.datafold.com/x`, `s3://bucket/key`). */
export function isUri(text: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(text);
}

/** `someone@example.org`: a local part, `@`, and a domain with a dot. */
export function isEmail(text: string): boolean {
  return /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(text);
}

/** `123e4567-e89b-12d3-a456-426614174000`, in either case. */
export function isUuid(text: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text);
}

/** A secret (pydantic's `SecretStr`): any string; the format only says to hide it. */
export function isPassword(_text: string): boolean {
  return true;
}

/** The check of every format the validators know, by its name in a schema (what `pnpm generate` compiles in). */
export const FORMAT_CHECKS = {
  date: isDate,
  time: isTime,
  "date-time": isDateTime,
  uri: isUri,
  email: isEmail,
  uuid: isUuid,
  password: isPassword,
} as const satisfies Readonly<Record<string, (text: string) => boolean>>;

/** A format name the validators know. */
export type FormatName = keyof typeof FORMAT_CHECKS;

/** How messages describe each format: what it is, and an example of a valid value. */
export const FORMAT_DESCRIPTIONS: Readonly<
  Record<FormatName, { readonly words: string; readonly example: string }>
> = {
  date: { words: "a date", example: "2024-05-01" },
  time: { words: "a time of day", example: "12:30:00" },
  "date-time": { words: "a date and time", example: "2024-05-01T12:30:00Z" },
  uri: { words: "an absolute URI", example: "https://example.org/report" },
  email: { words: "an email address", example: "someone@example.org" },
  uuid: { words: "a UUID", example: "123e4567-e89b-12d3-a456-426614174000" },
  password: { words: "a secret", example: "s3cret" },
};
