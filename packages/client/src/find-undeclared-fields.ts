import type { BodyShape, OperationValidators } from "@datafold-ci/api-description";
import type { InputIssue } from "./input-issue.js";
import { nearest } from "./nearest-name.js";

/**
 * `undeclaredFields` for any generated table entry (tests compile edited specs): a walk of the body
 * argument along the entry's `bodyShape`, the declared names of each object it may hold.
 */
export function findUndeclaredFields(
  validators: OperationValidators,
  args: readonly unknown[],
): InputIssue[] {
  const shape = validators.bodyShape;
  const at = validators.arguments.findIndex(([where]) => where === "body");
  const slot = validators.arguments[at];
  if (shape === undefined || slot === undefined) return [];
  const found: InputIssue[] = [];
  const walk = (shape: BodyShape, value: unknown, field: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        const sub = shape.prefixItems?.[index] ?? shape.items;
        if (sub) walk(sub, item, `${field}[${index}]`);
      });
      return;
    }
    const { properties } = shape;
    if (properties === undefined || value === null || typeof value !== "object") return;
    for (const [name, item] of Object.entries(value)) {
      const sub = Object.hasOwn(properties, name) ? properties[name] : undefined;
      if (sub) walk(sub, item, `${field}.${name}`);
      else if (!shape.open) {
        const meant = nearest(name, Object.keys(properties));
        found.push({
          field: `${field}.${name}`,
          message:
            `is not a field of ${shape.name ?? "this object"} in the API description, so Datafold ignores it` +
            (meant ? ` (did you mean ${meant}?)` : ""),
        });
      }
    }
  };
  walk(shape, args[at], slot[1]);
  return found;
}
