/**
 * `npm run notebooks`: generate the notebooks from the lessons, execute each one headless with
 * the course kernel, and export a browsable HTML course to build/.
 */
import path from "node:path";
import { installKernelSpec } from "../kernel/install";
import { makeOutputDirectory, writeFileSafely } from "../runtime/safeWrite";
import { escapeHtml } from "../render/html/escape";
import { REPO_ROOT } from "./jupyter";
import { lessonFiles, notebookFor, NOTEBOOKS_DIR } from "./lessons";
import { executeNotebook, type CellError, type Notebook } from "./notebookRunner";

export const BUILD_DIR = path.join(REPO_ROOT, "build");
/** build/ is the command's own output folder: refreshed on every build. */
const BUILD_OUTPUT = { flag: "notebooks build", explicit: false } as const;

export interface BuiltLesson {
  slug: string;
  title: string;
  html: string;
  errors: CellError[];
  seconds: number;
}

function titleOf(notebook: Notebook): string {
  const first = notebook.cells.find((c) => c.cell_type === "markdown");
  const source = Array.isArray(first?.source) ? first!.source.join("") : first?.source ?? "";
  return /^#\s+(.+)$/m.exec(source)?.[1] ?? "Lesson";
}

export async function buildLesson(lessonFile: string, outDir = BUILD_DIR): Promise<BuiltLesson> {
  const { file, text } = notebookFor(lessonFile);
  const slug = file.replace(/\.ipynb$/, "");
  const notebook = JSON.parse(text) as Notebook;
  const html = path.join(outDir, `${slug}.html`);
  const started = Date.now();
  const run = await executeNotebook(notebook, { cwd: NOTEBOOKS_DIR, html, cellTimeout: 120 });
  writeFileSafely(path.join(outDir, `${slug}.ipynb`), JSON.stringify(run.notebook, null, 1) + "\n", BUILD_OUTPUT);
  return { slug, title: titleOf(notebook), html, errors: run.errors, seconds: (Date.now() - started) / 1000 };
}

export async function buildCourse(outDir = BUILD_DIR, only?: (lessonFile: string) => boolean): Promise<BuiltLesson[]> {
  makeOutputDirectory(outDir, BUILD_OUTPUT);
  installKernelSpec({ projectLocal: true });
  const built: BuiltLesson[] = [];
  for (const lesson of lessonFiles().filter((f) => !only || only(f))) built.push(await buildLesson(lesson, outDir));
  const items = built
    .map((b) => `<li><a href="${escapeHtml(path.basename(b.html))}">${escapeHtml(b.title)}</a>${b.errors.length ? ` <strong>(${b.errors.length} errors)</strong>` : ""}</li>`)
    .join("\n");
  writeFileSafely(
    path.join(outDir, "index.html"),
    `<!doctype html><html><head><meta charset="utf-8"><title>Privacy course</title></head>` +
      `<body><h1>Training models without exposing people</h1><ol>\n${items}\n</ol></body></html>\n`,
    BUILD_OUTPUT,
  );
  return built;
}
