import type { Row } from "./report.js";

/** One benchmark suite: `pnpm bench -- <name>` runs it alone. */
export interface Suite {
  name: string;
  title: string;
  run(): Promise<SuiteOutput>;
}

export interface SuiteOutput {
  rows: Row[];
  notes: string[];
}

/** Progress goes to stderr so stdout carries only the final table. */
export function progress(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
