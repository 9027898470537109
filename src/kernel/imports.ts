/**
 * Lets a notebook in `notebooks/` import `../src/...`.
 *
 * tslab compiles cells as a file in its working directory and refuses imports outside it
 * ("is not under rootDir"). The kernel therefore runs tslab's compiler at the project root and
 * rewrites a cell's relative specifiers from "relative to the notebook" to "relative to the
 * root" — `../src/x` becomes `./src/x` — then maps positions and messages back so diagnostics,
 * completions and inspection still point into the cell as the learner wrote it.
 */
import * as path from "node:path";
import type * as TS from "typescript";

export interface Edit {
  /** Span of the specifier text (without quotes) in the original cell. */
  start: number;
  end: number;
  original: string;
  replacement: string;
}

export interface Rewritten {
  code: string;
  edits: Edit[];
}

function isRelative(specifier: string): boolean {
  return specifier === "." || specifier === ".." || specifier.startsWith("./") || specifier.startsWith("../");
}

/** Re-roots one specifier; absolute when it leaves the project (the compiler then says so). */
export function rerootSpecifier(specifier: string, fromDir: string, rootDir: string): string {
  const target = path.resolve(fromDir, specifier);
  const rel = path.relative(rootDir, target).split(path.sep).join("/");
  if (rel.startsWith("..") || path.isAbsolute(rel)) return target;
  const out = rel === "" ? "." : `./${rel}`;
  return specifier.endsWith("/") && !out.endsWith("/") ? `${out}/` : out;
}

export function rewriteImports(ts: typeof TS, code: string, fromDir: string, rootDir: string): Rewritten {
  return applyEdits(code, importEdits(ts, code, fromDir, rootDir));
}

/** `./name` naming a `@module name` cell: tslab keeps those at the compiler's root, where `./name` finds them. */
function namesNotebookModule(specifier: string, notebookModules: ReadonlySet<string>): boolean {
  const m = /^\.\/(\w+)(\.js)?$/.exec(specifier);
  return m !== null && notebookModules.has(m[1]!);
}

/** The specifier replacements rewriteImports makes, unapplied (sorted by position). */
export function importEdits(ts: typeof TS, code: string, fromDir: string, rootDir: string, notebookModules: ReadonlySet<string> = new Set()): Edit[] {
  if (path.resolve(fromDir) === path.resolve(rootDir)) return [];
  // preProcessFile finds import/export-from, import(), require() and import x = require().
  const info = ts.preProcessFile(code, true, true);
  const edits: Edit[] = [];
  for (const ref of info.importedFiles) {
    if (!isRelative(ref.fileName) || namesNotebookModule(ref.fileName, notebookModules)) continue;
    // ref.pos is the literal's opening quote; skip literals with escapes (text ≠ fileName).
    const start = /["'`]/.test(code[ref.pos] ?? "") ? ref.pos + 1 : ref.pos;
    const end = start + ref.fileName.length;
    if (code.slice(start, end) !== ref.fileName) continue;
    const replacement = rerootSpecifier(ref.fileName, fromDir, rootDir);
    if (replacement !== ref.fileName) edits.push({ start, end, original: ref.fileName, replacement });
  }
  return edits.sort((a, b) => a.start - b.start);
}

/** Applies non-overlapping edits (sorted by position) to the original cell. */
export function applyEdits(code: string, edits: readonly Edit[]): Rewritten {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = "";
  let at = 0;
  for (const e of sorted) {
    out += code.slice(at, e.start) + e.replacement;
    at = e.end;
  }
  return { code: out + code.slice(at), edits: sorted };
}

/** Offset in the original cell → offset in the rewritten code. */
export function toRewritten(edits: readonly Edit[], offset: number): number {
  let delta = 0;
  for (const e of edits) {
    if (offset < e.start) break;
    if (offset < e.end) return e.start + delta + Math.min(offset - e.start, e.replacement.length);
    delta += e.replacement.length - (e.end - e.start);
  }
  return offset + delta;
}

/** Offset in the rewritten code → offset in the original cell (inside a specifier: clamped). */
export function toOriginal(edits: readonly Edit[], offset: number): number {
  let delta = 0;
  for (const e of edits) {
    const newStart = e.start + delta;
    const newEnd = newStart + e.replacement.length;
    if (offset < newStart) break;
    if (offset < newEnd) return e.start + Math.min(offset - newStart, e.end - e.start);
    delta += e.replacement.length - (e.end - e.start);
  }
  return offset - delta;
}

/** Puts the learner's specifiers back into a compiler message ("Cannot find module './src/x'"). */
export function restoreMessage(edits: readonly Edit[], message: string): string {
  let out = message;
  for (const e of edits) {
    if (e.original === "") continue; // an insertion (a shorthand property spelled out) names nothing to restore
    out = out.split(`'${e.replacement}'`).join(`'${e.original}'`).split(`"${e.replacement}"`).join(`"${e.original}"`);
  }
  return out;
}

/** Zero-based line and character of an offset. */
export function lineAndCharacter(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}
