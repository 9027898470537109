/**
 * Hints name only what the learner's notebook has in scope (a hint pointing at a function the
 * notebook never imports leads to TS2304), and a hint that is code runs.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as library from "../../src";
import * as quizzes from "../../quizzes";
import { QUIZZES } from "../../quizzes";
import { lessonFiles, parseLesson } from "../../src/course/lessons";

const GLOBALS = new Set(["Math", "JSON", "Object", "Array", "Number", "String", "Set", "Map", "Infinity", "NaN", "undefined", "Boolean", "console"]);
const exported: Record<string, unknown> = { ...library, ...quizzes };
const exportedNames = new Set(Object.keys(exported));

/** Names the lesson's code cells import or declare at top level, and the quiz they load. */
function lessonScope(file: string): { scope: Set<string>; quizId: string | null } {
  const cells = parseLesson(readFileSync(path.join(__dirname, "..", "..", "lessons", file), "utf8")).filter((c) => c.kind === "code");
  const scope = new Set<string>();
  let quizId: string | null = null;
  for (const cell of cells) {
    quizId = /loadQuiz\("([^"]+)"\)/.exec(cell.source)?.[1] ?? quizId;
    const source = ts.createSourceFile("cell.ts", cell.source, ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (ts.isImportDeclaration(statement)) {
        const bindings = statement.importClause?.namedBindings;
        if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) scope.add(e.name.text);
        if (bindings && ts.isNamespaceImport(bindings)) scope.add(bindings.name.text);
        if (statement.importClause?.name) scope.add(statement.importClause.name.text);
      } else if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) collectBindingNames(d.name, scope);
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
        scope.add(statement.name.text);
      }
    }
  }
  return { scope, quizId };
}

function collectBindingNames(name: ts.BindingName, into: Set<string>): void {
  if (ts.isIdentifier(name)) into.add(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) collectBindingNames(element.name, into);
}

/** A hint that parses as TypeScript on its own: its free identifiers (null when it is prose). */
function freeIdentifiers(hint: string): Set<string> | null {
  const source = ts.createSourceFile("hint.ts", hint, ts.ScriptTarget.ES2022, true);
  if ((source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length > 0) return null;
  // A single bare identifier or a sentence-like expression is prose, not code: ask for a call.
  if (!/\w\(/.test(hint)) return null;
  const declared = new Set<string>();
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) || ts.isParameter(node)) collectBindingNames(node.name, declared);
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node)) && node.name) declared.add(node.name.text);
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const isMemberName = (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
      if (!isMemberName && !ts.isTypeReferenceNode(parent)) used.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return new Set([...used].filter((n) => !declared.has(n)));
}

const cases = lessonFiles()
  .map((file) => ({ file, ...lessonScope(file) }))
  .filter((l): l is { file: string; scope: Set<string>; quizId: string } => l.quizId !== null && l.quizId in QUIZZES)
  .flatMap(({ file, scope, quizId }) =>
    QUIZZES[quizId].questions.flatMap((q) => q.hints.map((hint, i) => ({ label: `${file} ${quizId}/${q.id} hint ${i + 1}`, hint, scope }))),
  );

describe("quiz hints", () => {
  it("cover every lesson with a quiz", () => {
    expect(new Set(cases.map((c) => c.label.split(" ")[1].split("/")[0])).size).toBe(Object.keys(QUIZZES).length);
  });

  it.each(cases.map((c) => [c.label, c] as const))("%s names only what the notebook has in scope, and runs if it is code", (_label, { hint, scope }) => {
    // Library functions a hint names (called, or camelCase) must be imported by the notebook.
    const named = [...hint.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)(\()?/g)]
      .filter(([, name, call]) => exportedNames.has(name) && (call !== undefined || /[a-z][A-Z]/.test(name)))
      .map(([, name]) => name);
    expect(named.filter((n) => !scope.has(n))).toEqual([]);
    const free = freeIdentifiers(hint);
    if (free === null) return;
    // Code made of the library and globals only is run as the learner would run it.
    if ([...free].every((n) => GLOBALS.has(n) || exportedNames.has(n))) {
      const names = [...free].filter((n) => exportedNames.has(n));
      const js = ts.transpile(hint, { target: ts.ScriptTarget.ES2022 }).trim().replace(/;$/, "");
      const run = new Function(...names, `return (${js});`);
      expect(() => run(...names.map((n) => exported[n]))).not.toThrow();
    } else {
      // Otherwise every name it uses is the notebook's (or the snippet's own).
      expect([...free].filter((n) => !scope.has(n) && !GLOBALS.has(n) && !exportedNames.has(n))).toEqual([]);
    }
  });
});
