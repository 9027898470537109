/**
 * Every lesson notebook runs top to bottom with the course kernel without an error output, and
 * the exported HTML of the training lesson shows a rendered chart in headless Chromium.
 *
 * The release check rides on the same run, so that CI executes each notebook once: the run is
 * the notebook with its solutions in the answer cells, graded (full marks), followed by the
 * shipped answer cells run again and graded (0, like a blank submission).
 *
 * The lessons are split into shards, one test file each, so that vitest's workers run them side
 * by side; every lesson is in exactly one shard (checked in shard 0).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installKernelSpec } from "../../src/kernel/install";
import { jupyterAvailable, missingJupyterMessage } from "../../src/course/jupyter";
import { lessonFiles, notebookFor, NOTEBOOKS_DIR } from "../../src/course/lessons";
import { executeNotebook, type Notebook } from "../../src/course/notebookRunner";
import { QUIZZES } from "../../quizzes";
import { withSolutions } from "../../src/quiz/answerCells";
import { answerCellsIn, gradeFromRun, gradingEnv, questionsIn, withGradeCells } from "../../src/quiz/grade";

export const SHARDS = 3;
const CHROMIUM = "/usr/bin/chromium";
/** The lesson whose exported HTML is opened in Chromium: it draws a chart offline. */
const CHART_LESSON = "04-dp-training.md";

/** Lessons by their place in the sorted list, dealt round-robin, so that the long ones spread out. */
export function lessonsOfShard(shard: number, lessons = lessonFiles()): string[] {
  return lessons.filter((_, i) => i % SHARDS === shard);
}

/** The solved notebook and its grading cells, then the shipped answer cells again and theirs. */
function releaseCheck(shipped: Notebook): { solved: Notebook; blank: Notebook; notebook: Notebook } {
  const solved = withSolutions(shipped, QUIZZES);
  const blank: Notebook = { ...shipped, cells: [...withGradeCells(solved).cells, ...answerCellsIn(shipped).map((a) => shipped.cells[a.index])] };
  return { solved, blank, notebook: withGradeCells(blank) };
}

async function checkLesson(lesson: string, html: string): Promise<void> {
  const { file, text } = notebookFor(lesson);
  const shipped = JSON.parse(text) as Notebook;
  const check = releaseCheck(shipped);
  const run = await executeNotebook(check.notebook, { cwd: NOTEBOOKS_DIR, html, cellTimeout: 120, env: gradingEnv() });
  const errors = run.errors.map((e) => `cell ${e.cell}: ${e.ename}: ${e.evalue}`);
  expect(errors).toEqual([]);
  const codeCells = run.notebook.cells.filter((c) => c.cell_type === "code");
  expect(codeCells.every((c) => typeof c.execution_count === "number")).toBe(true);
  // The first cell's chart library and at least one rich output (a table or chart) of the lesson's own.
  const lessonCells = run.notebook.cells.slice(0, shipped.cells.length);
  const rich = lessonCells.flatMap((c) => c.outputs ?? []).filter((o) => o.data && "text/html" in o.data);
  expect(rich.length).toBeGreaterThan(0);
  expect(existsSync(html)).toBe(true);

  const questions = questionsIn(shipped);
  const solved = gradeFromRun(check.solved, run, file, QUIZZES);
  expect(solved.questions.map((q) => [`${q.quizId}/${q.questionId}`, q.status, q.message])).toEqual(
    solved.questions.map((q) => [`${q.quizId}/${q.questionId}`, "correct", q.message]),
  );
  expect(solved.questions.map((q) => `${q.quizId}/${q.questionId}`)).toEqual(questions);
  expect(solved.points).toBe(solved.maxPoints);
  const blank = gradeFromRun(check.blank, run, file, QUIZZES);
  expect(blank.questions.map((q) => `${q.quizId}/${q.questionId}`)).toEqual(questions);
  expect(blank.maxPoints).toBe(solved.maxPoints);
  expect(blank.points).toBe(0);
}

function drawsChartOffline(html: string): void {
  expect(readFileSync(html, "utf8")).not.toMatch(/<script[^>]+src="https?:/);
  if (!existsSync(CHROMIUM)) throw new Error("Chromium is missing: apt-get install -y chromium");
  const profile = mkdtempSync(path.join(tmpdir(), "chromium-profile-"));
  const run = spawnSync(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      "--virtual-time-budget=15000",
      "--dump-dom",
      `file://${html}`,
    ],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, timeout: 120_000 },
  );
  expect(run.status).toBe(0);
  // Plotly draws each chart as an <svg class="main-svg"> with its traces inside.
  const dom = run.stdout;
  expect(dom).toMatch(/<svg[^>]*class="main-svg"/);
  expect(dom).toMatch(/class="scatterlayer/);
  // The fallback message is written into the chart's <div> only when Plotly never loaded.
  expect(dom).not.toMatch(/<div[^>]*class="privacy-course-chart"[^>]*>Plotly is not loaded/);
}

/** The tests of one shard: its lessons' runs, and the Chromium check if the chart lesson is among them. */
export function releaseCheckShard(shard: number): void {
  const outDir = mkdtempSync(path.join(tmpdir(), "privacy-course-build-"));
  const htmlOf = (lesson: string) => path.join(outDir, lesson.replace(/\.md$/, ".html"));
  const lessons = lessonsOfShard(shard);

  beforeAll(() => {
    if (!jupyterAvailable()) throw new Error(missingJupyterMessage());
    installKernelSpec({ projectLocal: true });
  });

  if (shard === 0) {
    it("the shards hold every lesson exactly once", () => {
      const dealt = Array.from({ length: SHARDS }, (_, s) => lessonsOfShard(s)).flat();
      expect([...dealt].sort()).toEqual(lessonFiles());
    });
  }

  describe.each(lessons)("notebook %s", (lesson) => {
    it("runs top to bottom with the course kernel, with no error output; its solutions score full marks, its blank answers 0", async () => {
      await checkLesson(lesson, htmlOf(lesson));
    }, 300_000);
  });

  if (lessons.includes(CHART_LESSON)) {
    describe("the exported HTML course", () => {
      it("draws the training lesson's chart offline in headless Chromium", () => {
        const html = htmlOf(CHART_LESSON);
        if (!existsSync(html)) throw new Error(`${html} was not exported by the notebook run above`);
        drawsChartOffline(html);
      }, 180_000);
    });
  }
}
