/**
 * The string formats of a FastAPI document as pydantic v2 reads them in lax mode: `date-time` is a
 * `datetime`, `date` a `date`, `time` a `time` (all parsed by pydantic-core's speedate, whose error
 * texts these are), `uri` an `AnyUrl`, `email` an `EmailStr`, `uuid` a `UUID`, `password` a `SecretStr`.
 * Each returns `undefined` when the value is valid, or the issue's `type`, `msg` and `ctx`.
 */

/** What a format check found wrong, without `loc` and `input`. */
export interface FormatIssue {
  readonly type: string;
  readonly msg: string;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

const digits = (text: string) => /^\d+$/.test(text);

/** speedate's `Date::parse_bytes`: the error text, or `undefined` for a valid `YYYY-MM-DD`. */
function dateError(text: string): string | undefined {
  if (text.length < 10) return "input is too short";
  if (!digits(text.slice(0, 4))) return "invalid character in year";
  if (text[4] !== "-") return "invalid date separator, expected `-`";
  if (!digits(text.slice(5, 7))) return "invalid character in month";
  if (text[7] !== "-") return "invalid date separator, expected `-`";
  if (!digits(text.slice(8, 10))) return "invalid character in day";
  const [year, month, day] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10)].map(Number) as [
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return "month value is outside expected range of 1-12";
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day < 1 || day > days) return "day value is outside expected range";
  if (text.length > 10) return "unexpected extra characters at the end of the input";
  return undefined;
}

/** speedate's `Time::parse_bytes` (`HH:MM[:SS[.f]]` and an optional offset): the error text, if any. */
function timeError(text: string): string | undefined {
  if (text.length < 5) return "input is too short";
  if (!digits(text.slice(0, 2))) return "invalid character in hour";
  if (text[2] !== ":") return "invalid time separator, expected `:`";
  if (!digits(text.slice(3, 5))) return "invalid character in minute";
  if (Number(text.slice(0, 2)) > 23) return "hour value is outside expected range of 0-23";
  if (Number(text.slice(3, 5)) > 59) return "minute value is outside expected range of 0-59";
  let rest = text.slice(5);
  if (rest.startsWith(":")) {
    if (!digits(rest.slice(1, 3))) return "invalid character in second";
    if (Number(rest.slice(1, 3)) > 59) return "second value is outside expected range of 0-59";
    rest = rest.slice(3);
    const fraction = /^[.,](\d+)/.exec(rest);
    if (rest.startsWith(".") || rest.startsWith(",")) {
      if (!fraction) return "invalid character in second fraction";
      if (fraction[1]!.length > 6) return "second fraction value is more than 6 digits long";
      rest = rest.slice(fraction[0].length);
    }
  }
  if (rest === "" || rest === "Z" || rest === "z") return undefined;
  const offset = /^[+-](\d{2}):?(\d{2})?$/.exec(rest);
  if (!offset)
    return rest.startsWith("+") || rest.startsWith("-") ? "invalid timezone hour" : "invalid timezone sign";
  return undefined;
}

/** speedate's `DateTime::parse_bytes`: the error text, if any. */
function dateTimeError(text: string): string | undefined {
  const date = dateError(text.slice(0, 10));
  if (date !== undefined) return date;
  if (text.length === 10) return undefined;
  if (!"Tt_ ".includes(text[10]!)) return "invalid datetime separator, expected `T`, `t`, `_` or space";
  return timeError(text.slice(11));
}

/** A unix timestamp in a string, which speedate reads where a date or datetime is expected. */
const TIMESTAMP = /^[+-]?\d+(?:\.\d+)?$/;

/**
 * `datetime` in lax mode: a datetime, a date (midnight), a timestamp (number or digits). A string
 * that is none of them is reported with the date parser's error, as pydantic-core's fallback to
 * dates does (`Input should be a valid datetime or date, input is too short`).
 */
export function checkDateTime(value: unknown): FormatIssue | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return undefined;
  if (typeof value !== "string") return { type: "datetime_type", msg: "Input should be a valid datetime" };
  if (TIMESTAMP.test(value) || dateTimeError(value) === undefined) return undefined;
  const error = dateError(value) ?? "";
  return {
    type: "datetime_from_date_parsing",
    msg: `Input should be a valid datetime or date, ${error}`,
    ctx: { error },
  };
}

/** `date` in lax mode: a date, or a datetime at exactly midnight, or a timestamp. */
export function checkDate(value: unknown): FormatIssue | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return undefined;
  if (typeof value !== "string") return { type: "date_type", msg: "Input should be a valid date" };
  if (TIMESTAMP.test(value) || dateError(value) === undefined) return undefined;
  const error = dateTimeError(value);
  if (error === undefined) {
    return /[T t_]00:00(?::00(?:\.0+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/.test(value)
      ? undefined
      : {
          type: "date_from_datetime_inexact",
          msg: "Datetimes provided to dates should have zero time - e.g. be exact dates",
        };
  }
  return {
    type: "date_from_datetime_parsing",
    msg: `Input should be a valid date or datetime, ${error}`,
    ctx: { error },
  };
}

/** `time` in lax mode: a time of day, or seconds since midnight. */
export function checkTime(value: unknown): FormatIssue | undefined {
  if (typeof value === "number" && value >= 0 && value < 86_400) return undefined;
  if (typeof value !== "string") return { type: "time_type", msg: "Input should be a valid time" };
  const error = timeError(value);
  return error === undefined
    ? undefined
    : { type: "time_parsing", msg: `Input should be in a valid time format, ${error}`, ctx: { error } };
}

/** `AnyUrl`: an absolute URL, as the Rust `url` crate parses it (approximated by WHATWG's parser). */
export function checkUri(value: unknown): FormatIssue | undefined {
  if (typeof value !== "string") return { type: "url_type", msg: "URL input should be a string or URL" };
  let error: string | undefined;
  if (value === "") error = "input is empty";
  else if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) error = "relative URL without a base";
  else if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[/?#]|$)/.test(value)) error = "empty host";
  else if (!URL.canParse(value)) error = "invalid domain character";
  return error === undefined
    ? undefined
    : { type: "url_parsing", msg: `Input should be a valid URL, ${error}`, ctx: { error } };
}

/** `EmailStr` (the email-validator package's first complaint). */
export function checkEmail(value: unknown): FormatIssue | undefined {
  if (typeof value !== "string") return { type: "string_type", msg: "Input should be a valid string" };
  const at = value.lastIndexOf("@");
  const reason =
    at < 0
      ? "An email address must have an @-sign."
      : at === value.length - 1
        ? "There must be something after the @-sign."
        : at === 0
          ? "There must be something before the @-sign."
          : !value.slice(at + 1).includes(".")
            ? "The part after the @-sign is not valid. It should have a period."
            : undefined;
  return reason === undefined
    ? undefined
    : { type: "value_error", msg: `value is not a valid email address: ${reason}`, ctx: { reason } };
}

/** `UUID`: 32 hex digits, hyphens where UUIDs have them or none, an optional `urn:uuid:`. */
export function checkUuid(value: unknown): FormatIssue | undefined {
  if (typeof value !== "string")
    return { type: "uuid_type", msg: "UUID input should be a string, bytes or UUID object" };
  const text = value.replace(/^urn:uuid:/i, "");
  if (/^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(text)) return undefined;
  const bad = /[^0-9a-fA-F-]/.exec(text);
  const error = bad
    ? `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${bad[0]}\` at ${bad.index + 1}`
    : `invalid group count: expected 5, found ${text.split("-").length}`;
  return { type: "uuid_parsing", msg: `Input should be a valid UUID, ${error}`, ctx: { error } };
}

/** `SecretStr`: any string. */
export function checkPassword(value: unknown): FormatIssue | undefined {
  return typeof value === "string"
    ? undefined
    : { type: "string_type", msg: "Input should be a valid string" };
}

/** Each format's check, by its name in a schema; `EMULATED_FORMATS` lists the same names for `pnpm generate`. */
export const FORMAT_CHECKERS: Readonly<Record<string, (value: unknown) => FormatIssue | undefined>> = {
  "date-time": checkDateTime,
  date: checkDate,
  time: checkTime,
  uri: checkUri,
  email: checkEmail,
  uuid: checkUuid,
  password: checkPassword,
};
