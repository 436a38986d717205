/**
 * The assertion keywords the kit's pydantic emulator (validate.ts) and its synthesizer
 * (synthesize-value.ts) follow, as data: `pnpm generate` fails for a schema of `spec/` that uses any
 * other, naming the schema, the keyword and the file, so the kit never answers a request it cannot
 * judge. Annotations (`title`, `default`, `section`, …) are not listed: they constrain nothing.
 */
export const EMULATED_KEYWORDS: ReadonlySet<string> = new Set([
  "$ref",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "uniqueItems",
  "anyOf",
  "oneOf",
  "allOf",
  "discriminator",
  "nullable",
  "enum",
  "const",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
]);

/** The `format`s the emulator parses as pydantic's types do (datetime, date, time, AnyUrl, EmailStr, UUID, SecretStr). */
export const EMULATED_FORMATS: ReadonlySet<string> = new Set([
  "date-time",
  "date",
  "time",
  "uri",
  "email",
  "uuid",
  "password",
]);
