/**
 * `@datafold-ci/testing`: a Datafold stand-in for tests, driven by the OpenAPI spec, with CI runs
 * that move through a scripted lifecycle on an injectable clock, and scripted faults.
 * `startMockDatafold` serves it over `node:http`; `@datafold-ci/testing/msw` serves the same
 * behaviour in-process through msw; the `datafold-mock` bin serves it to any language.
 * @packageDocumentation
 */
export type { Clock, FakeClock } from "./clock.js";
export { fakeClock } from "./clock.js";
export type { CiRunControls, CiRunOptions, CiRunSnapshot, TriggeredRun } from "./datafold-ci-runs.js";
export { DEFAULT_RUN_LIFECYCLE, FINISHED_STATUSES } from "./datafold-ci-runs.js";
export { type FakeOverrides, fakeValue, type MethodPart } from "./fake-value.js";
export type { DatafoldBehaviourOptions, MockDatafoldControls } from "./datafold-simulator.js";
export type { Fault, FaultKind } from "./fault.js";
export type { MockDatafold, MockDatafoldOptions } from "./mock-datafold.js";
export { startMockDatafold } from "./mock-datafold.js";
export type { RecordedRequest } from "./recorded-request.js";
export type { RunLifecycle, RunStage } from "./run-lifecycle.js";
