import {
  type CompiledValidator,
  type DocumentSentences,
  datafoldApiSentences,
  datafoldApiValidators,
  type OperationValidators,
  otherSentence,
} from "@datafold-ci/api-description";
import { describeValue } from "./describe-value.js";
import type { InputIssue } from "./input-issue.js";

/**
 * Checks the positional arguments of one client method (options excluded) with the validators
 * `pnpm generate` compiled from the spec; an empty array means they may be sent. Path and query
 * parameters are checked as the object FastAPI gathers them into (the query refusing names the
 * operation does not take), then the body. Besides the spec, the input validators hold the client's
 * two rules: an integer named `id`, `*_id`, `*_num` or `*_number` is a whole number of 1 or more (and
 * at most 2^53 - 1, which JSON carries exactly); a string is not empty or only whitespace.
 *
 * Each issue's `field` is the argument path, as the caller wrote the call: a path parameter by its
 * wire name (`ci_config_id`), the body by its argument name (`details`, `details.pr_sha`,
 * `diffs[1].prod`), the query object as `query` (`query.limit`). Issues come path first, then in
 * argument order; within an object body, in the order of the spec's `required` list, then the rest.
 *
 * @throws {TypeError} for a method name the generated table does not have (a programming error).
 * @example
 * checkArguments("uploadPrChanges", [7, 0, [{ prod: "db.orders" }]]);
 * // [{ field: "pr_num", message: "Input should be a whole number of 1 or more (got 0)" },
 * //  { field: "diffs[0].pr", message: "Field required" }]
 */
export function checkArguments(methodName: string, args: readonly unknown[]): InputIssue[] {
  return checkArgumentsWith(validatorsOf(methodName), datafoldApiSentences, methodName, args);
}

/**
 * Checks a parsed success answer against the spec's schema for its status (nothing added): one
 * sentence per problem, `<where>: <what>` (`0.id: Input should be a valid integer`), empty when it
 * is valid or the spec gives that status no JSON schema.
 *
 * @throws {TypeError} for a method name the generated table does not have (a programming error).
 */
export function checkResponse(methodName: string, status: number, body: unknown): string[] {
  const validate = validatorsOf(methodName).responses[status];
  return validate && !validate(body)
    ? explain(validate, body, datafoldApiSentences, false).map(
        ([path, message]) => `${path.join(".") || "body"}: ${message}`,
      )
    : [];
}

/**
 * The generated table entry of client method `methodName`.
 * @throws {TypeError} for a method name the table does not have (a programming error).
 */
export function validatorsOf(methodName: string): OperationValidators {
  const validators = Object.hasOwn(datafoldApiValidators, methodName) && datafoldApiValidators[methodName];
  if (!validators) throw new TypeError(`No client method "${methodName}"`);
  return validators;
}

/** {@link checkArguments} with any generated table entry and sentences (tests compile edited specs). */
export function checkArgumentsWith(
  validators: OperationValidators,
  sentences: DocumentSentences,
  methodName: string,
  args: readonly unknown[],
): InputIssue[] {
  const found: [rank: number, issue: InputIssue][] = [];
  const run = (
    validate: CompiledValidator,
    value: unknown,
    rank: number,
    root?: string,
    order: readonly string[] = [],
  ) => {
    if (validate(value)) return;
    const unknownQuery =
      root === "query" ? `Not a query parameter of ${methodName} (expected ${order.join(", ")})` : "";
    for (const [path, message] of explain(validate, value, sentences, true, unknownQuery)) {
      let field = root ?? "";
      path.forEach((key, index) => {
        field += typeof key === "number" ? `[${key}]` : root === undefined && index === 0 ? key : `.${key}`;
      });
      found.push([rank + Math.max(order.indexOf(String(path[0])), 0) / 1000, { field, message }]);
    }
  };
  const path: Record<string, unknown> = {};
  const pathNames: string[] = [];
  validators.arguments.forEach(([where, name], index) => {
    const value = args[index];
    if (where === "path") {
      path[name] = value;
      pathNames.push(name);
    } else if (where === "query") {
      if (validators.query && (value !== undefined || validators.queryRequired))
        run(validators.query, value ?? {}, index, where, validators.queryNames);
    } else if (validators.body && (value !== undefined || validators.bodyRequired))
      run(validators.body, value, index, name, validators.bodyFields);
  });
  run(validators.path, path, -1, undefined, pathNames);
  return found.sort((a, b) => a[0] - b[0]).map(([, issue]) => issue);
}

/**
 * One `[path, sentence]` per error of the validator's last call: the path in property names and item
 * indexes from the validated root; the sentence says what was given too when `withGiven`. A name the
 * query object does not take gets `unknownQuery`. A union that none of its members matched is
 * reported once, at the union, not once per member (their errors come just before it).
 */
function explain(
  validate: CompiledValidator,
  root: unknown,
  sentences: DocumentSentences,
  withGiven: boolean,
  unknownQuery = "",
): [path: (string | number)[], message: string, pointer: string][] {
  const out: [(string | number)[], string, string][] = [];
  for (const { instancePath, keyword, params } of validate.errors ?? []) {
    // An `if` error only says that its `then` or `else` failed, and that one said why.
    if (keyword === "if") continue;
    if (keyword === "anyOf" || keyword === "oneOf")
      while (out.length > 0 && `${out.at(-1)![2]}/`.startsWith(`${instancePath}/`)) out.pop();
    const path: (string | number)[] = [];
    let value = root;
    for (const segment of instancePath.split("/").slice(1)) {
      const key = Array.isArray(value)
        ? Number(segment)
        : segment.replaceAll("~1", "/").replaceAll("~0", "~");
      path.push(key);
      value = (value as Record<string | number, unknown>)[key];
    }
    // A missing or unknown property is reported at the property, not at its object.
    const property = params.missingProperty ?? params.additionalProperty;
    if (typeof property === "string") {
      path.push(property);
      value = keyword === "required" ? undefined : (value as Record<string, unknown>)[property];
    }
    const expected =
      keyword === "additionalProperties" && unknownQuery && !instancePath
        ? unknownQuery
        : (sentences[keyword] ?? otherSentence)(params, value, keyword);
    const given = withGiven && keyword !== "required" ? ` (got ${describeValue(value)})` : "";
    out.push([path, expected + given, instancePath]);
  }
  return out;
}
