/**
 * Lets a notebook import the project it lives in by the project's package name, as Node does.
 *
 * Node resolves a package's own name from inside it through the `exports` map of its package.json
 * ("self-reference"), so `require("privacy-course")` in a cell run from `notebooks/` loads the
 * built package. tslab's compiler resolves types the Node10 way, which knows no self-names: it
 * looks for `<root>/node_modules/privacy-course` and reports "Cannot find module". The kernel
 * makes that folder appear to TypeScript as the project root itself — the trick tslab uses to
 * make `import "tslab"` resolve (its `forwardTslabPath`) — so the compiler reads the package's
 * `types` (and `typesVersions` for subpaths) and its declarations. Run time is untouched: the
 * cell's `require` is Node's.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type * as TS from "typescript";

function readPackage(projectRoot: string): { name?: unknown; exports?: unknown } | undefined {
  try {
    return JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { name?: unknown; exports?: unknown };
  } catch {
    return undefined;
  }
}

/** The `name` of the project's package.json when it declares `exports` (Node self-references only then). */
export function selfReferenceName(projectRoot: string): string | undefined {
  const pkg = readPackage(projectRoot);
  return typeof pkg?.name === "string" && pkg.exports !== undefined ? pkg.name : undefined;
}

/**
 * The specifiers a notebook can import the project by: its name and each subpath of its
 * `exports` map that is code (not ./package.json, not a pattern), e.g. privacy-course/quiz.
 */
export function selfReferenceSpecifiers(projectRoot: string): string[] {
  const name = selfReferenceName(projectRoot);
  if (name === undefined) return [];
  const exports = readPackage(projectRoot)?.exports;
  const subpaths = exports !== null && typeof exports === "object" && Object.keys(exports).every((k) => k.startsWith(".")) ? Object.keys(exports) : ["."];
  return subpaths.filter((k) => !k.includes("*") && !k.endsWith(".json")).map((k) => (k === "." ? name : `${name}/${k.replace(/^\.\//, "")}`));
}

/**
 * `<root>/node_modules/<name>/rest` → `<root>/rest`, for the project's own name when no package
 * of that name is really installed there; any other path unchanged.
 */
export function selfReferenceForwarder(projectRoot: string): ((file: string) => string) | undefined {
  const name = selfReferenceName(projectRoot);
  if (name === undefined) return undefined;
  const virtualDir = path.join(projectRoot, "node_modules", ...name.split("/"));
  if (existsSync(virtualDir)) return undefined;
  return (file) => {
    const rel = path.relative(virtualDir, file);
    if (rel.startsWith("..") || path.isAbsolute(rel)) return file;
    // Not the project's own node_modules seen again under the package: TypeScript then finds the
    // dependencies where they are (node_modules/x), and names their types portably.
    if (rel === "node_modules" || rel.startsWith(`node_modules${path.sep}`)) return file;
    return path.join(projectRoot, rel);
  };
}

/** Forwarders per TypeScript instance: ts.sys is patched once, for every project root an engine opened. */
const forwarders = new WeakMap<object, ((file: string) => string)[]>();

/** Makes TypeScript's file system see the project under its package name in node_modules. */
export function forwardSelfReferences(ts: typeof TS, projectRoot: string): void {
  const forward = selfReferenceForwarder(projectRoot);
  if (!forward) return;
  const sys = ts.sys;
  const known = forwarders.get(sys);
  if (known) {
    known.push(forward);
    return;
  }
  const all = [forward];
  forwarders.set(sys, all);
  const forwardAll = (file: string) => all.reduce((f, each) => each(f), file);
  const { fileExists, directoryExists, readFile, getDirectories } = sys;
  sys.fileExists = (file) => fileExists.call(sys, forwardAll(file));
  sys.directoryExists = (dir) => directoryExists.call(sys, forwardAll(dir));
  sys.readFile = (file, encoding) => readFile.call(sys, forwardAll(file), encoding);
  sys.getDirectories = (dir) => getDirectories.call(sys, forwardAll(dir));
}
