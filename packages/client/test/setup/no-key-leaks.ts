import { afterAll, expect } from "vitest";
import { leaks } from "../helpers/secrets.js";

// Runs after every test file: no error the file caught may mention any API key it used.
afterAll(() => {
  expect(leaks().map(({ error, secret }) => ({ name: (error as Error).name, secret }))).toEqual([]);
});
