/**
 * `is_complete_request`: should the console run this code, wait for more lines, or report it
 * broken? Decided from TypeScript's parse diagnostics alone (no type checking), so it is fast.
 */
import type * as TS from "typescript";

export type CompletenessStatus = "complete" | "incomplete" | "invalid";

export interface Completeness {
  status: CompletenessStatus;
  /** For "incomplete": the indentation to start the next line with. */
  indent?: string;
}

interface ParseDiagnostic {
  start: number;
  length: number;
  code: number;
}

/** Errors that more input can still fix when they sit at the very end: "'}' expected." and kin. */
const UNTERMINATED_STRING = 1002;

export function classifyCompleteness(ts: typeof TS, code: string): Completeness {
  if (code.trim() === "") return { status: "complete" };
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  // parseDiagnostics is internal but stable across TypeScript 3–5 (tslab relies on it too).
  const diagnostics = (file as unknown as { parseDiagnostics?: ParseDiagnostic[] }).parseDiagnostics ?? [];
  if (diagnostics.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  const onlyMissingTail = diagnostics.every((d) => d.length === 0 && d.start >= end && d.code !== UNTERMINATED_STRING);
  if (!onlyMissingTail) return { status: "invalid" };
  // A blank last line means "run it anyway" in consoles; the code is still broken.
  if (/\n[ \t]*\n[ \t]*$/.test(code)) return { status: "invalid" };
  return { status: "incomplete", indent: nextIndent(code) };
}

/**
 * Keeps the last line's indentation, two spaces more after an opening bracket or arrow, one level
 * less after a line that starts by closing a bracket: the console typed that line at the inner
 * block's depth, and the line after it belongs to the enclosing block (as tslab and VS Code do).
 */
export function nextIndent(code: string): string {
  const lines = code.split("\n");
  const last = [...lines].reverse().find((l) => l.trim() !== "") ?? "";
  const current = /^[ \t]*/.exec(last)![0];
  if (/^\s*[}\])]/.test(last) && !/[{([]\s*$/.test(last)) return current.replace(/(  |\t| )$/, "");
  return /[{([]\s*$|=>\s*$/.test(last) ? current + "  " : current;
}
