/**
 * Spells out shorthand properties (`{ steps }` → `{ steps: steps }`) before tslab compiles a cell.
 *
 * tslab reaches a variable declared in an earlier cell by rewriting its identifier to
 * `exports.steps`, but it skips the name of a shorthand property (the type checker resolves that
 * name to the property, not the variable), so `{ steps }` threw "steps is not defined" at run
 * time. The spelled-out form means the same thing everywhere a shorthand can stand, including
 * destructuring assignments (`({ a } = o)` → `({ a: a } = o)`, `{ a = 1 }` → `{ a: a = 1 }`), and
 * tslab rewrites its value like any other identifier. Returned as insertions, so positions map back.
 */
import type * as TS from "typescript";
import type { Edit } from "./imports";

export function shorthandEdits(ts: typeof TS, code: string): Edit[] {
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: Edit[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) {
      const name = node.name.text;
      edits.push({ start: node.name.end, end: node.name.end, original: "", replacement: `: ${name}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return edits;
}
