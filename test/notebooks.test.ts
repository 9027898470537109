/**
 * Every lesson notebook runs top to bottom with the course kernel without an error output, and
 * the exported HTML of the training lesson shows a rendered chart in headless Chromium.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { installKernelSpec } from "../src/kernel/install";
import { jupyterAvailable, missingJupyterMessage } from "../src/course/jupyter";
import { lessonFiles, notebookFor, NOTEBOOKS_DIR } from "../src/course/lessons";
import { executeNotebook, type Notebook } from "../src/course/notebookRunner";

const outDir = mkdtempSync(path.join(tmpdir(), "privacy-course-build-"));
const CHROMIUM = "/usr/bin/chromium";

beforeAll(() => {
  if (!jupyterAvailable()) throw new Error(missingJupyterMessage());
  installKernelSpec({ projectLocal: true });
});

describe.each(lessonFiles())("notebook %s", (lesson) => {
  it("runs top to bottom with the course kernel, with no error output", () => {
    const { file, text } = notebookFor(lesson);
    const html = path.join(outDir, file.replace(/\.ipynb$/, ".html"));
    const run = executeNotebook(JSON.parse(text) as Notebook, { cwd: NOTEBOOKS_DIR, html, cellTimeout: 120 });
    const errors = run.errors.map((e) => `cell ${e.cell}: ${e.ename}: ${e.evalue}`);
    expect(errors).toEqual([]);
    const codeCells = run.notebook.cells.filter((c) => c.cell_type === "code");
    expect(codeCells.every((c) => typeof c.execution_count === "number")).toBe(true);
    // The first cell's chart library and at least one rich output (a table or chart).
    const rich = codeCells.flatMap((c) => c.outputs ?? []).filter((o) => o.data && "text/html" in o.data);
    expect(rich.length).toBeGreaterThan(0);
    expect(existsSync(html)).toBe(true);
  }, 300_000);
});

describe("the exported HTML course", () => {
  it("draws the training lesson's chart offline in headless Chromium", () => {
    const html = path.join(outDir, "04-dp-training.html");
    if (!existsSync(html)) throw new Error(`${html} was not exported by the notebook run above`);
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
  }, 180_000);
});
