import type { JsonSchema } from "../../packages/api-description/src/api-description.js";
import type { BodyShape } from "../../packages/api-description/src/validators.js";

const COMPONENT_REF = /^#\/components\/schemas\/(.+)$/;

/**
 * The names a request body's schema declares, as the client walks a body to find the fields the spec
 * does not know (a typo the validators let through: FastAPI's models ignore undeclared fields). Objects
 * whose schema allows other names by itself (`additionalProperties` true or a schema, `patternProperties`)
 * or refuses them itself (`additionalProperties: false`, which the validators check) are `open`, as is
 * a free-form object. A union's members declare their names together, so a name is undeclared only when
 * no member has it. A component met again inside itself is not walked further.
 *
 * `undefined` when nothing in the body could ever be undeclared: the table then carries no shape.
 */
export function bodyShape(
  schema: JsonSchema,
  components: Readonly<Record<string, JsonSchema>>,
): BodyShape | undefined {
  const shape = shapeOf(schema, components, new Set());
  return checks(shape) ? shape : undefined;
}

function shapeOf(
  schema: unknown,
  components: Readonly<Record<string, JsonSchema>>,
  within: ReadonlySet<string>,
): BodyShape {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return {};
  const source = schema as JsonSchema;
  const target = typeof source.$ref === "string" ? COMPONENT_REF.exec(source.$ref)?.[1] : undefined;
  if (target !== undefined) {
    if (within.has(target) || !(target in components)) return {};
    const { $ref: _, ...siblings } = source;
    const inner = shapeOf(components[target], components, new Set([...within, target]));
    const shape = merge(inner, shapeOf(siblings, components, within));
    return shape.properties && !("name" in shape) ? { name: target, ...shape } : shape;
  }
  const members = ["allOf", "anyOf", "oneOf"].flatMap((key) => {
    const list = source[key];
    return Array.isArray(list) ? list : [];
  });
  for (const key of ["then", "else"]) if (source[key] !== undefined) members.push(source[key]);
  let shape: BodyShape = {};
  if (source.properties !== undefined)
    shape = {
      properties: Object.fromEntries(
        Object.entries(source.properties).map(([name, sub]) => [name, shapeOf(sub, components, within)]),
      ),
    };
  if (source.additionalProperties !== undefined || source.patternProperties !== undefined || freeForm(source))
    shape = { ...shape, open: true };
  if (source.items !== undefined) shape = { ...shape, items: shapeOf(source.items, components, within) };
  if (Array.isArray(source.prefixItems))
    shape = { ...shape, prefixItems: source.prefixItems.map((sub) => shapeOf(sub, components, within)) };
  for (const member of members) shape = merge(shape, shapeOf(member, components, within));
  return shape;
}

/** An object schema that names no property and no member: any names (`{type: object}`, `dict`). */
function freeForm(schema: JsonSchema): boolean {
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type);
  return (
    types.includes("object") &&
    schema.properties === undefined &&
    ["allOf", "anyOf", "oneOf", "$ref"].every((key) => schema[key] === undefined)
  );
}

function merge(a: BodyShape, b: BodyShape): BodyShape {
  const out: { -readonly [K in keyof BodyShape]: BodyShape[K] } = { ...a, ...b };
  if (a.name !== undefined && b.name !== undefined && a.name !== b.name) delete out.name;
  if (a.properties && b.properties) {
    const properties: Record<string, BodyShape> = { ...a.properties };
    for (const [name, sub] of Object.entries(b.properties))
      properties[name] = properties[name] ? merge(properties[name], sub) : sub;
    out.properties = properties;
  }
  if (a.open || b.open) out.open = true;
  if (a.items && b.items) out.items = merge(a.items, b.items);
  if (a.prefixItems && b.prefixItems)
    out.prefixItems = Array.from({ length: Math.max(a.prefixItems.length, b.prefixItems.length) }, (_, i) =>
      merge(a.prefixItems?.[i] ?? {}, b.prefixItems?.[i] ?? {}),
    );
  return out;
}

/** Whether a walk of `shape` could find an undeclared name. */
function checks(shape: BodyShape): boolean {
  return (
    (shape.properties !== undefined && !shape.open) ||
    Object.values(shape.properties ?? {}).some(checks) ||
    (shape.items !== undefined && checks(shape.items)) ||
    (shape.prefixItems ?? []).some(checks)
  );
}
