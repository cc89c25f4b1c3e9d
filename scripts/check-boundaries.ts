/**
 * Import-boundary checker, in the spirit of Playwright's DEPS.list.
 *
 * Usage: bun scripts/check-boundaries.ts [repo-root]
 *
 * A `DEPS.list` governs every source file in its directory and below. A file must satisfy
 * every DEPS.list between it and the root, so a nested list can only narrow its parent's rules.
 *
 *   # comment
 *   ./                allow our files under this directory (paths are relative to the DEPS.list)
 *   ../model/         allow another of our directories; "/core/" would be relative to the root
 *   "npm"             allow any bare specifier (npm packages and runtime builtins alike)
 *   !node:*           forbid a module; `*` matches anything, "fs" also covers "fs/promises"
 *   !../mutants/      forbid one of our directories even though an allow line covers it
 *   "pure"            files here must not touch nondeterministic or I/O globals (tests exempt)
 *   [*.test.ts]       the lines below apply only to files whose name matches this glob
 *   bun:test          ...and, being more specific, they override the lines above the section
 *
 * Within one list: matching section forbids, then section allows, then base forbids, then base
 * allows; the first that matches decides. If nothing matches, the import is refused when the
 * list has base allow lines (it is an allow-list) and left to the other lists when it has none.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export interface Violation {
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface CheckResult {
  violations: Violation[];
  filesChecked: number;
}

type Target = { kind: "path"; path: string } | { kind: "module"; name: string };

interface Scope {
  glob: RegExp | null;
  allow: Array<(t: Target) => boolean>;
  forbid: Array<(t: Target) => boolean>;
  npm: boolean;
  pure: boolean;
}

interface DepsList {
  file: string;
  base: Scope;
  sections: Scope[];
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const SKIP_DIRS = new Set(["node_modules", "dist", "runs"]);

const IMPURE_MEMBERS: Record<string, string[]> = { Date: ["now"], Math: ["random"], performance: ["now"] };
const IMPURE_OBJECTS = new Set(["Bun", "process"]);

const toPosix = (p: string) => p.split(path.sep).join("/");
const stripExt = (p: string) => p.replace(SOURCE_FILE, "");
const globToRegExp = (glob: string, anyChar: string) =>
  new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, anyChar)}$`);

function pathMatcher(target: string): (t: Target) => boolean {
  return (t) =>
    t.kind === "path" &&
    (target === "" ? !t.path.startsWith("../") : t.path === target || t.path.startsWith(`${target}/`) || stripExt(t.path) === stripExt(target));
}

function moduleMatcher(pattern: string): (t: Target) => boolean {
  const wildcard = pattern.includes("*") ? globToRegExp(pattern, ".*") : null;
  return (t) => t.kind === "module" && (wildcard ? wildcard.test(t.name) : t.name === pattern || t.name.startsWith(`${pattern}/`));
}

const isPathSpecifier = (s: string) => s === "." || s === ".." || s.startsWith("./") || s.startsWith("../") || s.startsWith("/");

/** Repo-relative, posix, normalized; "" is the root and a leading "../" means outside it. */
function resolveFrom(fromDir: string, specifier: string): string {
  const joined = specifier.startsWith("/") ? specifier.slice(1) : path.posix.join(fromDir, specifier);
  const normalized = path.posix.normalize(joined).replace(/\/$/, "");
  return normalized === "." ? "" : normalized;
}

export function parseDepsList(file: string, text: string): DepsList {
  const dir = path.posix.dirname(file) === "." ? "" : path.posix.dirname(file);
  const newScope = (glob: RegExp | null): Scope => ({ glob, allow: [], forbid: [], npm: false, pure: false });
  const list: DepsList = { file, base: newScope(null), sections: [] };
  let scope = list.base;
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) return;
    const fail = (why: string) => {
      throw new Error(`${file}:${i + 1}: ${why}: ${raw.trim()}`);
    };
    if (line.startsWith("[")) {
      if (!line.endsWith("]") || line.length < 3) fail("bad section header");
      scope = newScope(globToRegExp(line.slice(1, -1), "[^/]*"));
      list.sections.push(scope);
    } else if (line.startsWith('"')) {
      if (line === '"npm"') scope.npm = true;
      else if (line === '"pure"') scope.pure = true;
      else fail('unknown marker (expected "npm" or "pure")');
    } else {
      const forbid = line.startsWith("!");
      const entry = forbid ? line.slice(1).trim() : line;
      if (!entry || /\s/.test(entry)) fail("bad entry");
      const matcher = isPathSpecifier(entry) ? pathMatcher(resolveFrom(dir, entry)) : moduleMatcher(entry);
      (forbid ? scope.forbid : scope.allow).push(matcher);
    }
  });
  return list;
}


function refuses(list: DepsList, fileName: string, target: Target): boolean {
  const sections = list.sections.filter((s) => s.glob!.test(fileName));
  const allows = (s: Scope) => (s.npm && target.kind === "module") || s.allow.some((m) => m(target));
  if (sections.some((s) => s.forbid.some((m) => m(target)))) return true;
  if (sections.some(allows)) return false;
  if (list.base.forbid.some((m) => m(target))) return true;
  if (allows(list.base)) return false;
  return list.base.npm || list.base.allow.length > 0;
}

/** Either an import specifier or a use of an impure global, at a 1-based position. */
interface Found {
  line: number;
  col: number;
  specifier?: string;
  global?: string;
}

function stringArg(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

/** Uses the real TypeScript parser so strings, comments, and type-only syntax never confuse us. */
function scan(fileName: string, text: string): Found[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const found: Found[] = [];
  const add = (node: ts.Node, what: Pick<Found, "specifier" | "global">) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    found.push({ line: line + 1, col: character + 1, ...what });
  };
  const addImport = (node: ts.Node | undefined) => {
    const specifier = stringArg(node);
    if (node && specifier !== undefined) add(node, { specifier });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) addImport(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      addImport(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) addImport(node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require"))
        addImport(node.arguments[0]);
      else if (ts.isIdentifier(callee) && callee.text === "Date") add(node, { global: "Date()" });
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Date") {
      add(node, { global: "new Date()" });
    } else if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const object = node.expression.text;
      const member = node.name.text;
      if (IMPURE_OBJECTS.has(object)) add(node, { global: `${object}.${member}` });
      else if (IMPURE_MEMBERS[object]?.includes(member)) add(node, { global: `${object}.${member}()` });
    } else if (ts.isElementAccessExpression(node) && ts.isIdentifier(node.expression) && IMPURE_OBJECTS.has(node.expression.text)) {
      add(node, { global: `${node.expression.text}[]` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

async function walk(root: string, dir: string, out: { sources: string[]; lists: string[] }): Promise<void> {
  for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith(".") && !SKIP_DIRS.has(entry.name)) await walk(root, rel, out);
    } else if (entry.name === "DEPS.list") out.lists.push(rel);
    else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith(".d.ts")) out.sources.push(rel);
  }
}

export async function checkBoundaries(root: string): Promise<CheckResult> {
  const tree = { sources: [] as string[], lists: [] as string[] };
  await walk(root, "", tree);
  const listsByDir = new Map<string, DepsList>();
  for (const file of tree.lists) {
    const dir = path.posix.dirname(file);
    listsByDir.set(dir === "." ? "" : dir, parseDepsList(file, await readFile(path.join(root, file), "utf8")));
  }

  const violations: Violation[] = [];
  let filesChecked = 0;
  for (const file of tree.sources.sort()) {
    const dir = path.posix.dirname(file) === "." ? "" : path.posix.dirname(file);
    const governing: DepsList[] = []; // nearest first, so the most specific rule is the one reported
    for (let d = dir; ; d = d.includes("/") ? path.posix.dirname(d) : "") {
      const list = listsByDir.get(d);
      if (list) governing.push(list);
      if (d === "") break;
    }
    if (governing.length === 0) continue;
    filesChecked++;

    const fileName = path.posix.basename(file);
    const pureList = TEST_FILE.test(fileName)
      ? undefined
      : governing.find((l) => l.base.pure || l.sections.some((s) => s.pure && s.glob!.test(fileName)));
    const text = await readFile(path.join(root, file), "utf8");
    for (const found of scan(file, text)) {
      const at = { file, line: found.line, col: found.col };
      if (found.global !== undefined) {
        if (pureList) violations.push({ ...at, message: `${file} may not use ${found.global} (rule from ${pureList.file})` });
        continue;
      }
      const specifier = found.specifier!;
      const target: Target = isPathSpecifier(specifier)
        ? { kind: "path", path: specifier.startsWith("/") ? toPosix(path.relative(root, specifier)) : resolveFrom(dir, specifier) }
        : { kind: "module", name: specifier };
      const refusing = governing.find((l) => refuses(l, fileName, target));
      if (refusing) {
        const shown = target.kind === "path" ? target.path : target.name;
        violations.push({ ...at, message: `${file} may not import ${shown} (rule from ${refusing.file})` });
      }
    }
  }
  return { violations, filesChecked };
}

export const formatViolation = (v: Violation) => `${v.file}:${v.line}:${v.col}: ${v.message}`;

if (import.meta.main) {
  const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));
  try {
    const { violations, filesChecked } = await checkBoundaries(root);
    for (const v of violations) console.log(formatViolation(v));
    if (violations.length > 0) process.exit(1);
    console.log(`boundaries ok: ${filesChecked} files checked`);
  } catch (error) {
    console.error(`check-boundaries: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
}
