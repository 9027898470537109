/**
 * The student release of the quizzes, as nbgrader's and otter's assign steps make it: the same
 * questions, visible cases, hints and self-checks, without the hidden test cases and the
 * solutions. The grader's sandbox shows a submission this release instead of the teacher's
 * quizzes/, and `privacy-course release` writes it for learners.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

export const RELEASED_SOLUTION = "// The solution is not part of the student release: ask your teacher.";
/** Properties of a question whose values the release leaves out, and what it puts instead. */
const LEFT_OUT: Record<string, string> = { hiddenCases: "[]", solution: JSON.stringify(RELEASED_SOLUTION) };

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(source: string, edits: Edit[]): string {
  let out = source;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

const parse = (source: string, fileName: string) => ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);

function propertyName(node: ts.PropertyAssignment): string | undefined {
  return ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : undefined;
}

/** Replaces every `hiddenCases: …` and `solution: …` value. */
function leaveOut(file: ts.SourceFile): Edit[] {
  const edits: Edit[] = [];
  const visit = (node: ts.Node): void => {
    const name = ts.isPropertyAssignment(node) ? propertyName(node) : undefined;
    if (ts.isPropertyAssignment(node) && name !== undefined && name in LEFT_OUT) {
      edits.push({ start: node.initializer.getStart(file), end: node.initializer.getEnd(), text: LEFT_OUT[name] });
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return edits;
}

/** How often each identifier is used in the file, not counting the names being declared. */
function uses(file: ts.SourceFile): Map<string, number> {
  const count = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const parent = node.parent;
      const declaring =
        ((ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) &&
          parent.name === node) ||
        (ts.isImportSpecifier(parent) && parent.propertyName === node);
      if (!declaring) count.set(node.text, (count.get(node.text) ?? 0) + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return count;
}

const exported = (node: ts.Node): boolean => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/**
 * Removes top-level declarations and imports nothing uses any more (what only the hidden cases
 * needed: their data must not stay behind in a helper constant).
 */
function removeUnused(file: ts.SourceFile): Edit[] {
  const used = uses(file);
  const unused = (name: string) => !used.has(name);
  const edits: Edit[] = [];
  const remove = (node: ts.Node) => edits.push({ start: node.getFullStart(), end: node.getEnd(), text: "" });
  for (const statement of file.statements) {
    if (exported(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      const names = statement.declarationList.declarations.map((d) => (ts.isIdentifier(d.name) ? d.name.text : undefined));
      if (names.every((n) => n !== undefined && unused(n))) remove(statement);
    } else if (ts.isFunctionDeclaration(statement) && statement.name && unused(statement.name.text)) {
      remove(statement);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      const clause = statement.importClause;
      const bindings = clause.namedBindings;
      const specifiers = bindings && ts.isNamedImports(bindings) ? bindings.elements : [];
      const keep = specifiers.filter((s) => !unused(s.name.text));
      const defaultUsed = clause.name !== undefined && !unused(clause.name.text);
      const namespaceUsed = bindings !== undefined && ts.isNamespaceImport(bindings) && !unused(bindings.name.text);
      if (!defaultUsed && !namespaceUsed && keep.length === 0) remove(statement);
      else if (keep.length < specifiers.length && bindings) edits.push({ start: bindings.getStart(file), end: bindings.getEnd(), text: `{ ${keep.map((s) => s.getText(file)).join(", ")} }` });
    }
  }
  return edits;
}

/** A quiz module's source as the student release has it. */
export function releasedQuizSource(source: string, fileName = "quiz.ts"): string {
  let out = applyEdits(source, leaveOut(parse(source, fileName)));
  for (;;) {
    const edits = removeUnused(parse(out, fileName));
    if (edits.length === 0) return out;
    out = applyEdits(out, edits);
  }
}

/** Writes the student release of a quizzes/ directory (TypeScript modules released, other files copied). */
export function writeReleasedQuizzes(fromDir: string, toDir: string): string[] {
  mkdirSync(toDir, { recursive: true });
  const written: string[] = [];
  for (const entry of readdirSync(fromDir, { withFileTypes: true })) {
    const from = path.join(fromDir, entry.name);
    const to = path.join(toDir, entry.name);
    if (entry.isDirectory()) written.push(...writeReleasedQuizzes(from, to));
    else if (!entry.isFile()) continue;
    else if (entry.name.endsWith(".ts")) writeFileSync(to, releasedQuizSource(readFileSync(from, "utf8"), entry.name));
    else copyFileSync(from, to);
    if (entry.isFile()) written.push(to);
  }
  return written;
}

/**
 * The built package's quizzes (dist/quizzes, what `import … from "privacy-course/quiz"` loads)
 * rebuilt from a released quizzes/ directory: each released module compiled to CommonJS as the
 * package build does, the declarations copied from the build (the release keeps every type).
 * Without it a sandboxed notebook could read the hidden cases in the teacher's build.
 */
export function writeReleasedBuild(releasedDir: string, builtDir: string, toDir: string): string[] {
  mkdirSync(toDir, { recursive: true });
  const written: string[] = [];
  for (const entry of readdirSync(builtDir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".d.ts")) {
      copyFileSync(path.join(builtDir, entry.name), path.join(toDir, entry.name));
      written.push(path.join(toDir, entry.name));
    }
  }
  for (const entry of readdirSync(releasedDir, { withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".d.ts")) continue;
    const source = readFileSync(path.join(releasedDir, entry.name), "utf8");
    const { outputText } = ts.transpileModule(source, {
      fileName: entry.name,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const to = path.join(toDir, entry.name.replace(/\.ts$/, ".js"));
    writeFileSync(to, outputText);
    written.push(to);
  }
  return written;
}

/** What a learner's copy of the course holds (tests, benchmarks and history stay with the teacher). */
export const STUDENT_RELEASE_ENTRIES = ["bin", "src", "notebooks", "lessons", "datasets", "scripts", "vendor", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.kernel.json", "README.md"];

/**
 * Writes the student version of the course into `out` (which must not exist or be empty): the
 * library, lessons and notebooks as they are, and the quizzes released. Returns the entries written.
 */
export function writeStudentRelease(repoRoot: string, out: string): string[] {
  const written: string[] = [];
  for (const entry of STUDENT_RELEASE_ENTRIES) {
    const from = path.join(repoRoot, entry);
    if (!existsSync(from)) continue;
    cpSync(from, path.join(out, entry), { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
    written.push(entry);
  }
  writeReleasedQuizzes(path.join(repoRoot, "quizzes"), path.join(out, "quizzes"));
  return [...written, "quizzes"];
}
