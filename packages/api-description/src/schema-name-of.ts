const COMPONENT_PREFIX = /^#\/components\/schemas\//;

/**
 * The component a schema `$ref` points to: `APIPrDetails` for `#/components/schemas/APIPrDetails`.
 * The one place that knows how the runtime table's `$ref`s are spelled (issue 14 item 10).
 */
export function schemaNameOf(ref: string): string {
  return ref.replace(COMPONENT_PREFIX, "");
}
