const COMPONENT_PREFIX = /^#\/components\/schemas\//;

/**
 * The component a schema `$ref` points to: `APIPrDetails` for `#/components/schemas/APIPrDetails`.
 * The one place that knows how the runtime table's `$ref`s are spelled, so a change of spelling is one edit.
 */
export function schemaNameOf(ref: string): string {
  return ref.replace(COMPONENT_PREFIX, "");
}
