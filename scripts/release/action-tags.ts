/** The git tags that name one release of the GitHub Action (action.yml at the repository root). */
export interface ActionTags {
  /** `v<major>.<minor>.<patch>` (with any pre-release suffix): created once, never moved. */
  readonly exact: string;
  /**
   * The tag users follow for compatible updates, moved to every new release: `v<major>` from 1.0 on, and
   * `v0.<minor>` before 1.0, where a minor may break (semver's 0.x rule). None for a pre-release.
   */
  readonly floating: string | undefined;
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * The action's tags for a CLI version.
 * @example actionTags("0.2.0") // { exact: "v0.2.0", floating: "v0.2" }
 * @example actionTags("1.4.2") // { exact: "v1.4.2", floating: "v1" }
 * @throws when `version` is not a semver version
 */
export function actionTags(version: string): ActionTags {
  const match = SEMVER.exec(version);
  if (!match) throw new Error(`"${version}" is not a semver version (expected <major>.<minor>.<patch>).`);
  const [, major, minor, , prerelease] = match;
  const exact = `v${version.replace(/\+.*$/, "")}`;
  if (prerelease !== undefined) return { exact, floating: undefined };
  return { exact, floating: major === "0" ? `v0.${minor}` : `v${major}` };
}
