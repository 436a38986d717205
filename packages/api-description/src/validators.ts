import type { Sentence } from "./sentences.js";

/**
 * The shape of the validators `pnpm generate` compiles from each document of `spec/` (with ajv, JSON
 * Schema 2020-12) into `generated/<document>.validators.js`: plain functions, one per part of each
 * operation, that the client runs before sending and on every success answer.
 */

/** One failure, as a compiled validator reports it (ajv's error object, without its English message). */
export interface ValidatorError {
  /** JSON Pointer to the failing value inside what was validated, e.g. `/diffs/1/prod`; `""` for the root. */
  readonly instancePath: string;
  /**
   * The keyword that failed: a JSON Schema keyword (`type`, `required`, `enum`, `minLength`, …) or
   * one of the client's input rules: `identifier` (a whole number of 1 or more) and `nonBlank`.
   */
  readonly keyword: string;
  /** The keyword's facts, e.g. `{ missingProperty: "pr_sha" }`, `{ limit: 3 }`, `{ allowedValues: [...] }`. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** A validator compiled at `pnpm generate`. After a call, `errors` holds that call's failures (`null` when valid). */
export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: readonly ValidatorError[] | null;
}

/** Where a client method's positional argument goes, and the name issues are reported under. */
export type ArgumentSlot =
  /** A path parameter, by its wire name (`ci_config_id`). */
  | readonly ["path", string]
  /** The body, by the argument's name (`details`, `diffs`). */
  | readonly ["body", string]
  | readonly ["query", "query"];

/** The validators of one operation, keyed in the generated table by its client method name. */
export interface OperationValidators {
  /** The method's positional arguments (options excluded), in call order. */
  readonly arguments: readonly ArgumentSlot[];
  /** The path parameters, as one object (every one required, no others). */
  readonly path: CompiledValidator;
  /** The query parameters, as one object; names the operation does not take are refused. */
  readonly query?: CompiledValidator;
  /** Whether a query parameter is required, so an absent query object is checked too. */
  readonly queryRequired?: boolean;
  /** The query parameter names, for the message about one the operation does not take. */
  readonly queryNames?: readonly string[];
  readonly body?: CompiledValidator;
  readonly bodyRequired?: boolean;
  /**
   * An object body's fields in the order issues are listed: the spec's `required` list first (its
   * logical order; a document dumped with sorted keys keeps it only there), then the other properties.
   */
  readonly bodyFields?: readonly string[];
  /** The names the body's schema declares, where a body could hold a name it does not (see {@link BodyShape}). */
  readonly bodyShape?: BodyShape;
  /** The JSON success answers, by status (`"200"`): the spec's schema alone, with no client rule added. */
  readonly responses: Readonly<Record<string, CompiledValidator>>;
}

/** Every operation of one document, by client method name. */
export type DocumentValidators = Readonly<Record<string, OperationValidators>>;

/** The sentence of every keyword a document's validators can fail on, by keyword (`type`, `enum`, …). */
export type DocumentSentences = Readonly<Record<string, Sentence>>;

/**
 * The names a request body's schema declares, for finding the fields a body holds that the spec does not
 * (FastAPI's models ignore them, so a misspelt optional field is dropped without a word). Walked along the
 * body: an object's names against `properties`, an array's items against `prefixItems` or `items`. A
 * shape without `properties` is not looked into.
 */
export interface BodyShape {
  /** The component the names are declared by (`APIPrDetails`), for messages. */
  readonly name?: string;
  /** The names declared, each with its value's shape. */
  readonly properties?: Readonly<Record<string, BodyShape>>;
  /**
   * Other names are no concern here: the schema allows them itself (`additionalProperties` true or a
   * schema, `patternProperties`, a free-form object), or refuses them itself (`additionalProperties: false`).
   */
  readonly open?: true;
  readonly items?: BodyShape;
  readonly prefixItems?: readonly BodyShape[];
}
