import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { extname, join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./packaging/published-packages.js";

/**
 * Comments and docs are read by someone who has only this repository. A tracker number points to nothing
 * they can open, a narration of what the code did once describes code they cannot see, and a path of one
 * machine's folders resolves nowhere else. This test reads every tracked file (the changelog entries in
 * `.changeset/` may describe changes, so they are left out) and names the file and line of each such text.
 * Facts that need a source go in docs/datafold-facts.md, with a public link.
 */

/** A problem found: where, which rule, and the offending text. */
interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

interface Rule {
  readonly name: string;
  readonly pattern: RegExp;
}

// Built from pieces so this file does not match its own patterns.
const SHARED_FOLDER = [".", ".", "/", "shared"].join("");
const WORK_FOLDER = ["/", "work", "/"].join("");

/** Checked everywhere, code included: a path of one machine's folders. */
const PATH_RULES: readonly Rule[] = [
  // WORK_FOLDER only at the start of a path: inside GitHub's runner workspace (`/home/runner/…`) it is a real CI fact.
  { name: "machine path", pattern: new RegExp(`(?<![\\w.\\-/~])${escapeRegExp(WORK_FOLDER)}`) },
  { name: "path to a folder outside the repository", pattern: new RegExp(escapeRegExp(SHARED_FOLDER)) },
];

/** Checked in comments, test titles and prose: a tracker number or history. */
const PROSE_RULES: readonly Rule[] = [
  { name: "issue number", pattern: /\bissues?\s+#?\d+|\bissue\s*#\d+|\(#\d+\)/i },
  // After "is", "are", "be" or "gets" the phrase describes the present ("a header that is … to carry").
  { name: "history (used to)", pattern: /(?<!\b(?:is|are|be|been|being|gets?)\s+)\bused to\b/i },
  { name: "history (as before)", pattern: /\bas before\b/i },
];

const SCRIPT_EXTENSIONS = new Set([".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"]);
/** Files whose `#` starts a comment (YAML, shell, ignore files, Python outside its docstrings). */
const HASH_COMMENT_EXTENSIONS = new Set([".yml", ".yaml", ".sh", ".toml"]);
/** Files that are prose throughout (docs; Python, whose docstrings are its documentation). */
const PROSE_EXTENSIONS = new Set([".md", ".py", ".txt"]);
const HASH_COMMENT_FILES = new Set([".gitignore", ".prettierignore", ".ci/run"]);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Each rule's matches in `text`, which starts at line `firstLine` of `file`. */
function match(file: string, text: string, firstLine: number, rules: readonly Rule[]): Finding[] {
  const found: Finding[] = [];
  text.split("\n").forEach((line, index) => {
    for (const rule of rules)
      if (rule.pattern.test(line))
        found.push({ file, line: firstLine + index, rule: rule.name, text: line.trim() });
  });
  return found;
}

/** Every comment of a script (TypeScript's own scanner, so strings and regex literals are never taken for one). */
function scriptProse(file: string, text: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, scriptKind(file));
  const seen = new Set<number>();
  const pieces: { text: string; line: number }[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const collect = (ranges: readonly ts.CommentRange[] | undefined) => {
    for (const range of ranges ?? []) {
      if (seen.has(range.pos)) continue;
      seen.add(range.pos);
      pieces.push({ text: text.slice(range.pos, range.end), line: lineOf(range.pos) });
    }
  };
  const visit = (node: ts.Node) => {
    // Comments before a node, and after it (those before a closing brace belong to no node).
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    collect(ts.getLeadingCommentRanges(text, node.getEnd()));
    // A test's title is its documentation too: `it("…")`, `describe("…")`, `it.each(…)("…")`.
    if (ts.isCallExpression(node) && isTestCall(node.expression)) {
      const title = node.arguments[0];
      if (title && (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title)))
        pieces.push({ text: title.text, line: lineOf(title.getStart(source)) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return pieces;
}

function isTestCall(callee: ts.Expression): boolean {
  if (ts.isIdentifier(callee)) return ["it", "test", "describe"].includes(callee.text);
  if (ts.isPropertyAccessExpression(callee)) return isTestCall(callee.expression);
  if (ts.isCallExpression(callee)) return isTestCall(callee.expression);
  return false;
}

function scriptKind(file: string): ts.ScriptKind {
  if (file.endsWith(".tsx")) return ts.ScriptKind.TSX;
  return /\.[mc]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

/** The `#` comments of a YAML, shell or ignore file: a `#` at the start of a line or after a space. */
function hashCommentProse(text: string): { text: string; line: number }[] {
  return text.split("\n").flatMap((line, index) => {
    const at = /(^|\s)#/.exec(line);
    return at ? [{ text: line.slice(at.index), line: index + 1 }] : [];
  });
}

/** Every finding for one file's text; the tests below show each rule failing on a planted line. */
function checkFile(file: string, text: string): Finding[] {
  const found = match(file, text, 1, PATH_RULES);
  const extension = extname(file);
  // Most files match no prose rule anywhere: only those that do are parsed for their comments.
  if (!PROSE_RULES.some((rule) => rule.pattern.test(text))) return found;
  let prose: { text: string; line: number }[] = [];
  if (SCRIPT_EXTENSIONS.has(extension)) prose = scriptProse(file, text);
  else if (HASH_COMMENT_EXTENSIONS.has(extension) || HASH_COMMENT_FILES.has(file))
    prose = hashCommentProse(text);
  else if (PROSE_EXTENSIONS.has(extension)) prose = [{ text, line: 1 }];
  for (const piece of prose) found.push(...match(file, piece.text, piece.line, PROSE_RULES));
  return found;
}

function trackedFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  })
    .split("\0")
    .filter((file) => file !== "" && !file.startsWith(".changeset/") && !file.includes("node_modules/"));
}

const describeFinding = (f: Finding) => `${f.file}:${f.line}: ${f.rule}: ${f.text}`;

describe("repository hygiene", () => {
  it("no tracked file has a tracker number or history in its comments, or a path of one machine", () => {
    const findings: Finding[] = [];
    for (const file of trackedFiles()) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(REPO_ROOT, file));
      } catch {
        continue; // deleted in the work tree, not yet committed
      }
      if (bytes.includes(0)) continue; // binary
      findings.push(...checkFile(file, bytes.toString("utf8")));
    }
    expect(findings.map(describeFinding)).toEqual([]);
  });

  it("finds an issue number in a line comment, a block comment and a test title, naming file and line", () => {
    const text = [
      "const a = 1; // retried twice (issue 14)",
      "/**",
      " * Kept apart, see issue #3.",
      " */",
      'it("refuses a bad key (issues 3 and 4)", () => {});',
      'const url = "https://example.com/issue 7"; // a string is not a comment',
    ].join("\n");
    expect(checkFile("x.test.ts", text).map(describeFinding)).toEqual([
      "x.test.ts:1: issue number: // retried twice (issue 14)",
      "x.test.ts:3: issue number: * Kept apart, see issue #3.",
      "x.test.ts:5: issue number: refuses a bad key (issues 3 and 4)",
    ]);
  });

  it("finds history in comments, but not a present-tense 'is used to'", () => {
    const text = [
      "// The client used to retry every POST.",
      "// Retries as before.",
      "// This header is used to carry the key.",
      'const note = "used to"; // strings are code',
    ].join("\n");
    expect(checkFile("src/a.ts", text).map((f) => `${f.line} ${f.rule}`)).toEqual([
      "1 history (used to)",
      "2 history (as before)",
    ]);
  });

  it("finds a machine path anywhere, and leaves GitHub's runner workspace alone", () => {
    const text = [
      `const fixture = "/home/runner${WORK_FOLDER}_temp/event.json";`,
      `const seed = "${WORK_FOLDER}shared/seed/page.md";`,
      `# see ${SHARED_FOLDER}/reference/facts.md`,
    ].join("\n");
    expect(checkFile("a.ts", text).map((f) => `${f.line} ${f.rule}`)).toEqual([
      "2 machine path",
      "3 path to a folder outside the repository",
    ]);
  });

  it("reads `#` comments in YAML and prose in Markdown and Python", () => {
    expect(
      checkFile("ci.yml", "key: value # pinned for issue 13\nname: 'issue 4'\n").map((f) => f.line),
    ).toEqual([1]);
    expect(checkFile("docs/a.md", "Intro.\n\nThis is done (issue 3).\n").map((f) => f.line)).toEqual([3]);
    expect(checkFile("app.py", '"""Written as before."""\nx = 1\n').map((f) => f.rule)).toEqual([
      "history (as before)",
    ]);
  });
});
