/**
 * Lessons live once, as Markdown in lessons/ with ```ts fences for the cells a learner runs.
 * Notebooks in notebooks/ are generated from them, so no text is kept twice by hand; a test
 * fails when a committed notebook drifts from its lesson.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DISPLAY_NAME, KERNEL_NAME } from "../kernel/install";
import { writeFileSafely } from "../runtime/safeWrite";
import { PACKAGE_ROOT } from "../runtime/packageRoot";

export const LESSONS_DIR = path.resolve(PACKAGE_ROOT, "lessons");
export const NOTEBOOKS_DIR = path.resolve(PACKAGE_ROOT, "notebooks");

export interface LessonCell {
  kind: "markdown" | "code";
  source: string;
}

const CODE_FENCE = /^```(ts|typescript)\s*$/;

/** Splits a lesson into Markdown and code cells; `<!-- cell -->` starts a new Markdown cell. */
export function parseLesson(markdown: string): LessonCell[] {
  const cells: LessonCell[] = [];
  let current: string[] = [];
  let inCode = false;
  let inOtherFence = false;
  const flush = (kind: LessonCell["kind"]) => {
    const source = current.join("\n").replace(/^\n+|\s+$/g, "");
    if (source !== "") cells.push({ kind, source });
    current = [];
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (!inOtherFence && !inCode && CODE_FENCE.test(line)) {
      flush("markdown");
      inCode = true;
    } else if (inCode && /^```\s*$/.test(line)) {
      flush("code");
      inCode = false;
    } else if (!inCode && line.trim() === "<!-- cell -->") {
      flush("markdown");
    } else {
      if (!inCode && /^```/.test(line)) inOtherFence = !inOtherFence;
      current.push(line);
    }
  }
  if (inCode) throw new Error("a ```ts fence is not closed");
  flush("markdown");
  return cells;
}

/** Jupyter keeps a source as lines that end in "\n", the last without one. */
function sourceLines(source: string): string[] {
  const lines = source.split("\n");
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line));
}

export function lessonToNotebook(slug: string, cells: readonly LessonCell[]): object {
  return {
    cells: cells.map((cell, i) => {
      const common = { id: `${slug}-${String(i).padStart(2, "0")}`, metadata: {}, source: sourceLines(cell.source) };
      return cell.kind === "code"
        ? { cell_type: "code", execution_count: null, ...common, outputs: [] }
        : { cell_type: "markdown", ...common };
    }),
    metadata: {
      kernelspec: { display_name: DISPLAY_NAME, language: "typescript", name: KERNEL_NAME },
      language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Jupyter's own formatting (one-space indent, trailing newline), so saving in Jupyter is a no-op diff. */
export function notebookText(notebook: object): string {
  return JSON.stringify(notebook, null, 1) + "\n";
}

/**
 * Lesson files in course order: a two-digit number, an optional letter for a lesson inserted
 * after that number without renumbering the rest (03a-, 03b- come after 03- and before 04-), a slug.
 */
export const LESSON_FILE = /^\d\d[a-z]?-.+\.md$/;

export function lessonFiles(dir = LESSONS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => LESSON_FILE.test(f))
    .sort();
}

export function notebookFor(lessonFile: string, dir = LESSONS_DIR): { file: string; text: string } {
  const slug = lessonFile.replace(/\.md$/, "");
  const cells = parseLesson(readFileSync(path.join(dir, lessonFile), "utf8"));
  return { file: `${slug}.ipynb`, text: notebookText(lessonToNotebook(slug, cells)) };
}

export function generateNotebooks(lessonsDir = LESSONS_DIR, notebooksDir = NOTEBOOKS_DIR): string[] {
  return lessonFiles(lessonsDir).map((lesson) => {
    const { file, text } = notebookFor(lesson, lessonsDir);
    writeFileSafely(path.join(notebooksDir, file), text, { flag: "notebooks generate", explicit: false });
    return path.join(notebooksDir, file);
  });
}
