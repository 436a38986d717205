/**
 * The runtime form of an OpenAPI document, as `pnpm generate` emits it into `generated/`.
 * Only what a client or a server needs at run time: routes, parameters, schemas and security.
 * Descriptions and examples of schemas are dropped; response examples are kept for mock servers.
 */
export interface ApiDescription {
  /** The spec file this was generated from, e.g. `spec/datafold-api.yaml`. */
  readonly source: string;
  readonly title: string;
  readonly version: string;
  readonly servers: readonly ServerDescription[];
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeDescription>>;
  readonly operations: readonly OperationDescription[];
  /** `components.schemas`, the targets of every `$ref` in the operations. */
  readonly schemas: Readonly<Record<string, JsonSchema>>;
}

/** One entry of the document's `servers`. */
export interface ServerDescription {
  readonly url: string;
  readonly description?: string;
}

/** A security scheme; only `apiKey` schemes carry `in` and `name`. */
export interface SecuritySchemeDescription {
  readonly type: string;
  readonly in?: "header" | "query" | "cookie";
  readonly name?: string;
  readonly scheme?: string;
}

/** Upper-case HTTP method, as it travels on the wire. */
export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE";

/** One operation, with path-level parameters merged in and `$ref`s to parameters and bodies resolved. */
export interface OperationDescription {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** Path template, e.g. `/api/v1/ci/{ci_config_id}/trigger`. */
  readonly path: string;
  /** Documentation: in `describe()`'s output, not in the runtime table (`generated/`). */
  readonly summary?: string;
  /** Documentation: in `describe()`'s output, not in the runtime table (`generated/`). */
  readonly tags?: readonly string[];
  readonly parameters: readonly ParameterDescription[];
  readonly requestBody?: RequestBodyDescription;
  /** Keyed by status code (`"200"`, `"422"`, `"default"`); the runtime table keeps the 2xx ones only. */
  readonly responses: Readonly<Record<string, ResponseDescription>>;
  /** Effective security requirements (the operation's own, else the document's); empty means none. */
  readonly security: readonly Readonly<Record<string, readonly string[]>>[];
  /** How the client calls it: decided by `pnpm generate` (scripts/codegen/method-names.ts). */
  readonly clientMethod: ClientMethodDescription;
}

/** An operation as a client method: its name and its positional arguments (options always come last). */
export interface ClientMethodDescription {
  /** e.g. `triggerPrRun`; unique in the document. */
  readonly name: string;
  /** In call order: path parameters in path order, then the body, then the query object. */
  readonly arguments: readonly MethodArgument[];
}

/** One positional argument of a client method. */
export type MethodArgument =
  | {
      /** The argument's name in camelCase, e.g. `ciConfigId`; messages use the parameter's wire name. */
      readonly name: string;
      readonly in: "path";
      /** The path parameter it fills, e.g. `ci_config_id`. */
      readonly parameter: string;
    }
  | { readonly name: string; readonly in: "body" }
  | { readonly name: "query"; readonly in: "query" };

/** A path, query, header or cookie parameter. */
export interface ParameterDescription {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required: boolean;
  readonly schema: JsonSchema;
}

/** A request body; only JSON bodies are described. */
export interface RequestBodyDescription {
  readonly required: boolean;
  readonly contentType: string;
  readonly schema: JsonSchema;
}

/** A response; `schema` and `example` are those of its JSON content, if any. */
export interface ResponseDescription {
  /** Documentation: in `describe()`'s output, not in the runtime table. */
  readonly description?: string;
  /** The JSON media type the schema is under, e.g. `application/json`. */
  readonly contentType?: string;
  readonly schema?: JsonSchema;
  readonly example?: unknown;
}

/**
 * A JSON Schema (OpenAPI 3.1 dialect), with the keywords the packages read typed. Other keys are
 * annotations (Datafold's own `section` and `widget`, …), kept as the document has them.
 */
export interface JsonSchema {
  readonly [annotation: string]: unknown;
  readonly $ref?: string;
  readonly type?: JsonSchemaType | readonly JsonSchemaType[];
  readonly title?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly items?: JsonSchema;
  /** A tuple's members, by position (pydantic's `tuple[int, str]`). */
  readonly prefixItems?: readonly JsonSchema[];
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  /** OpenAPI's tagged union: which property names the member, and (optionally) which tag is which `$ref`. */
  readonly discriminator?: {
    readonly propertyName: string;
    readonly mapping?: Readonly<Record<string, string>>;
  };
  readonly allOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly multipleOf?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  /**
   * pydantic models a `set[str]` this way (Datafold's `CiDiff.pk`) and removes duplicates instead of
   * refusing them: the kit and the client's input check accept a list with duplicates.
   */
  readonly uniqueItems?: boolean;
  /** OpenAPI 3.0's spelling of `anyOf: [X, null]`. */
  readonly nullable?: boolean;
  readonly default?: unknown;
}

/** JSON Schema primitive type names. */
export type JsonSchemaType = "string" | "integer" | "number" | "boolean" | "array" | "object" | "null";
