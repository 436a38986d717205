/**
 * `@datafold-ci/types`: the TypeScript types of Datafold's API, generated from `spec/` by
 * `pnpm generate` (openapi-typescript). Types only; nothing here exists at run time.
 *
 * - `paths`, `components`, `operations`: openapi-typescript's shapes, what openapi-fetch consumes.
 * - `APIPrDetails`, `SubmitCiJob`, `HTTPValidationError`, `ValidationError`: one alias per schema.
 *
 * @example
 * import type { APIPrDetails, paths } from "@datafold-ci/types";
 * @packageDocumentation
 */
export type * from "./generated/datafold-api.js";
