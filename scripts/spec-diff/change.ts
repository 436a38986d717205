/** The semver bump a spec change needs, from the point of view of the packages' consumers. */
export type Bump = "none" | "patch" | "minor" | "major";

const BUMP_ORDER: readonly Bump[] = ["none", "patch", "minor", "major"];

/** One human-readable reason, and the bump it alone would need. */
export interface Change {
  readonly bump: Exclude<Bump, "none">;
  /** Where in the spec, e.g. `POST /api/v1/ci/{ci_config_id}/trigger` or `APIPrDetails.pr_sha (request)`. */
  readonly where: string;
  /** What happened, in words a reviewer understands without reading the diff. */
  readonly what: string;
}

/** The larger of two bumps. */
export function maxBump<B extends Bump>(a: B, b: B): B {
  return BUMP_ORDER.indexOf(a) >= BUMP_ORDER.indexOf(b) ? a : b;
}

/** The bump a whole set of changes needs: the largest one, `none` for none. */
export function overallBump(changes: readonly Change[]): Bump {
  return changes.reduce<Bump>((bump, change) => maxBump(bump, change.bump), "none");
}

/** Largest bump first; within a bump, the order the changes were found in. */
export function sortChanges(changes: readonly Change[]): Change[] {
  return [...changes].sort((a, b) => BUMP_ORDER.indexOf(b.bump) - BUMP_ORDER.indexOf(a.bump));
}

/** `major: APIPrDetails.pr_sha (request): type changed: string → integer` */
export function formatChange(change: Change): string {
  return `${change.bump}: ${change.where}: ${change.what}`;
}
