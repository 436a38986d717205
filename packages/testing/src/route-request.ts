import type { ApiDescription, OperationDescription } from "@datafold-ci/api-description";

/** Where a request goes, decided as Starlette's router decides it. */
export type Route =
  | {
      readonly kind: "operation";
      readonly operation: OperationDescription;
      readonly pathParams: Record<string, string>;
    }
  | { readonly kind: "method-not-allowed"; readonly allow: readonly string[] }
  | { readonly kind: "redirect"; readonly path: string }
  | { readonly kind: "not-found" };

/** A compiled route table for {@link routeRequest}. */
export interface Routes {
  readonly entries: readonly RouteEntry[];
}

interface RouteEntry {
  readonly operation: OperationDescription;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/**
 * Compiles every operation's path template: `{name}` matches one segment, like Starlette's `str`
 * convertor. Concrete paths come before templated ones (OpenAPI: "concrete paths are matched before
 * their templated counterparts"; FastAPI apps such as Datafold's register literal routes first), so
 * `POST …/5/trigger` is the trigger, not an upload with `pr_num` "trigger", whatever order spec/
 * lists them in. Paths are compared segment by segment; at the first segment where one is literal
 * and the other templated, the literal one wins; otherwise spec/ order is kept.
 */
export function compileRoutes(api: ApiDescription): Routes {
  const entries = api.operations.map((operation) => {
    const names: string[] = [];
    const source = operation.path
      .split(/(\{[^}]+\})/)
      .map((part) => {
        const name = /^\{([^}]+)\}$/.exec(part)?.[1];
        if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        names.push(name);
        return "([^/]+)";
      })
      .join("");
    return { operation, pattern: new RegExp(`^${source}$`), names };
  });
  return { entries: entries.sort((a, b) => compareSpecificity(a.operation.path, b.operation.path)) };
}

/** Negative when `a` has a literal segment where `b`, at the first such difference, has a template. */
function compareSpecificity(a: string, b: string): number {
  const templated = (path: string) => path.split("/").map((segment) => segment.includes("{"));
  const [ta, tb] = [templated(a), templated(b)];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] !== tb[i]) return ta[i] ? 1 : -1;
  }
  // Paths of different lengths never match the same request; ordering them keeps the sort consistent.
  return ta.length - tb.length;
}

/**
 * Routes `rawPath` (as sent, not decoded). Like Starlette: the path is percent-decoded before
 * matching; the first route matching path and method wins; else the first matching the path alone
 * gives 405 with its methods in `Allow`; else, if toggling a trailing slash would match, a redirect.
 */
export function routeRequest(routes: Routes, method: string, rawPath: string): Route {
  const path = decodePath(rawPath);
  const found = match(routes, method, path);
  if (found.full) return { kind: "operation", ...found.full };
  // Starlette's 405 lists the methods of the first route whose path matched, not of every route.
  if (found.partial) return { kind: "method-not-allowed", allow: [found.partial.operation.method] };
  if (path !== "/") {
    const toggled = path.endsWith("/") ? path.replace(/\/+$/, "") : `${path}/`;
    const again = match(routes, method, toggled);
    if (again.full || again.partial) {
      const redirected = rawPath.endsWith("/") ? rawPath.replace(/\/+$/, "") : `${rawPath}/`;
      return { kind: "redirect", path: redirected };
    }
  }
  return { kind: "not-found" };
}

interface Matched {
  readonly operation: OperationDescription;
  readonly pathParams: Record<string, string>;
}

function match(routes: Routes, method: string, path: string): { full?: Matched; partial?: Matched } {
  let partial: Matched | undefined;
  for (const entry of routes.entries) {
    const groups = entry.pattern.exec(path);
    if (!groups) continue;
    const pathParams: Record<string, string> = {};
    entry.names.forEach((name, i) => {
      pathParams[name] = groups[i + 1] ?? "";
    });
    const matched = { operation: entry.operation, pathParams };
    if (entry.operation.method === method) return { full: matched };
    partial ??= matched;
  }
  return partial ? { partial } : {};
}

/** Percent-decodes like Python's `unquote`: a malformed escape stays as it is instead of failing. */
function decodePath(rawPath: string): string {
  return rawPath.replace(/(?:%[0-9a-fA-F]{2})+/g, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      return escapes;
    }
  });
}
