/**
 * `@datafold-ci/testing`: a Datafold stand-in for tests, driven by the OpenAPI spec, with scripted
 * faults. `startMockDatafold` serves it over `node:http`; `@datafold-ci/testing/msw` serves the
 * same behaviour in-process through msw; the `datafold-mock` bin serves it to any language.
 * @packageDocumentation
 */
export type { DatafoldBehaviourOptions, MockDatafoldControls } from "./datafold-simulator.js";
export type { Fault, FaultKind } from "./fault.js";
export type { MockDatafold, MockDatafoldOptions } from "./mock-datafold.js";
export { startMockDatafold } from "./mock-datafold.js";
export type { RecordedRequest } from "./recorded-request.js";
