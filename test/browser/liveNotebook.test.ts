/**
 * The course as a learner meets it: Jupyter Notebook opened the way `npm start` opens it, a lesson
 * run from the Cell menu in a real browser (Debian's Chromium, driven by puppeteer-core), then a
 * long training call stopped with the toolbar's interrupt button.
 *
 * What is checked is what a learner sees: every cell ran, no error output, the tables and charts
 * drawn (Plotly's SVG, offline), the progress bars left as one-line summaries; after an interrupt,
 * the cell ends with the kernel's "Interrupted" error and the next cell runs.
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverUrl, setUpCourse, startNotebookServer, trustCourseNotebooks } from "../../src/course/server";
import { WORKSPACE_DIR } from "../../src/course/workspace";

// The few browser globals the page functions use (they run in Chromium, not in Node): declared
// here rather than adding the DOM library to the whole project's types.
interface PageElement {
  textContent: string | null;
  querySelector(selector: string): PageElement | null;
}
declare const document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement> };
declare const window: unknown;

const CHROMIUM = "/usr/bin/chromium";
/** A lesson with tables, Plotly charts and a training call that shows a progress bar. */
const LESSON = "04-dp-training.ipynb";

// Inside the project (so that its notebooks import the package, as a learner's workspace/ does),
// in a folder of the test's own: the learner's own notebooks are never touched.
const workspace = path.join(WORKSPACE_DIR, `test-browser-${process.pid}`);
const workspaceExisted = existsSync(WORKSPACE_DIR);
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let base = "";
let token = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error("Chromium is missing: apt-get install -y chromium");
  setUpCourse(workspace);
  server = startNotebookServer({ port: await freePort(), dir: workspace });
  const url = await serverUrl(server, 90_000);
  base = url.replace(/\/\?token=.*/, "");
  token = new URL(url).searchParams.get("token")!;
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: mkdtempSync(path.join(tmpdir(), "chromium-profile-")),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  server?.kill("SIGTERM");
  rmSync(workspace, { recursive: true, force: true });
  if (!workspaceExisted && readdirSync(WORKSPACE_DIR).length === 0) rmSync(WORKSPACE_DIR, { recursive: true });
});

/** Opens a notebook of the workspace and waits for its kernel to be connected and idle. */
async function openNotebook(name: string): Promise<Page> {
  const page = await browser!.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${base}/notebooks/${encodeURIComponent(name)}?token=${token}`, { waitUntil: "domcontentloaded" });
  await page.waitForFunction(
    () => {
      const nb = (window as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter?.notebook;
      return nb?.kernel?.is_connected() === true && document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
    },
    { timeout: 120_000, polling: 250 },
  );
  return page;
}

/** Every code cell has run (a number in its prompt, none pending) and the kernel is idle. */
async function waitForAllCells(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(
    () => {
      type Cell = { cell_type: string; input_prompt_number?: number | string | null };
      const cells = (window as { Jupyter: { notebook: { get_cells(): Cell[] } } }).Jupyter.notebook.get_cells();
      const done = cells.filter((c) => c.cell_type === "code").every((c) => typeof c.input_prompt_number === "number");
      return done && document.querySelector("#kernel_indicator_icon.kernel_idle_icon") !== null;
    },
    { timeout, polling: 500 },
  );
}

/** The text of every error output on the page (Jupyter marks them output_error). */
const errorOutputs = (page: Page) => page.$$eval(".output_area .output_error", (nodes) => nodes.map((n) => (n.textContent ?? "").slice(0, 300)));

describe("a learner in the browser", () => {
  it("runs a lesson from the Cell menu and sees every table and chart, no error, and the progress bars as summaries", async () => {
    const page = await openNotebook(LESSON);
    try {
      await page.click("#celllink");
      await page.waitForSelector("#run_all_cells", { visible: true });
      await page.click("#run_all_cells");
      await waitForAllCells(page, 600_000);

      expect(await errorOutputs(page)).toEqual([]);
      const seen = await page.evaluate(() => ({
        tables: document.querySelectorAll(".output_area table").length,
        chartDivs: document.querySelectorAll(".output_area .privacy-course-chart").length,
        undrawn: [...document.querySelectorAll(".output_area .privacy-course-chart")].filter((d) => d.querySelector("svg.main-svg") === null).length,
        notLoaded: [...document.querySelectorAll(".output_area .privacy-course-chart")].filter((d) => /Plotly is not loaded/.test(d.textContent ?? "")).length,
        progress: [...document.querySelectorAll(".output_area .privacy-course-progress")].map((d) => ({ bar: d.querySelector("progress") !== null, text: d.textContent ?? "" })),
      }));
      expect(seen.tables).toBeGreaterThan(0);
      // Every chart div was drawn by Plotly (offline: the page has no network to fetch it from).
      expect(seen.chartDivs).toBeGreaterThan(0);
      expect(seen.notLoaded).toBe(0);
      expect(seen.undrawn).toBe(0);
      // The training calls showed a progress display, and each ended as its one-line summary.
      expect(seen.progress.length).toBeGreaterThan(0);
      for (const p of seen.progress) expect([p.bar, p.text]).toEqual([false, expect.stringMatching(/ in \d+(\.\d)? s/)]);
    } finally {
      await page.close();
    }
  }, 900_000);

  it("stops a long training call with the toolbar's interrupt button; the cell says Interrupted and the next cell runs", async () => {
    const name = "interrupt-me.ipynb";
    const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });
    const notebook = {
      cells: [
        code('import { runPipeline } from "privacy-course";'),
        code('const long = await runPipeline({ model: "mlp", epochs: 3000 });'),
        code("const after = 40 + 2;\nafter"),
      ],
      metadata: { kernelspec: { name: "privacy-course", display_name: "TypeScript (privacy course)", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    };
    writeFileSync(path.join(workspace, name), JSON.stringify(notebook));
    trustCourseNotebooks(workspace);
    const page = await openNotebook(name);
    try {
      type Nb = { select(i: number): void; execute_cells(cells: number[]): void; get_cell(i: number): { output_area: { outputs: { output_type: string; ename?: string; data?: Record<string, string> }[] }; input_prompt_number?: number | string | null } };
      const run = (index: number) => page.evaluate((i) => (window as { Jupyter: { notebook: Nb } }).Jupyter.notebook.execute_cells([i]), index);
      await run(0);
      await page.waitForFunction(() => typeof (window as { Jupyter: { notebook: Nb } }).Jupyter.notebook.get_cell(0).input_prompt_number === "number", { timeout: 180_000 });
      await run(1);
      // Interrupt once the training shows its progress bar, as a learner would.
      await page.waitForSelector(".output_area .privacy-course-progress progress", { timeout: 180_000 });
      await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
      await page.waitForFunction(
        () => (window as { Jupyter: { notebook: Nb } }).Jupyter.notebook.get_cell(1).output_area.outputs.some((o) => o.output_type === "error"),
        { timeout: 120_000 },
      );
      const errors = await page.evaluate(() => (window as { Jupyter: { notebook: Nb } }).Jupyter.notebook.get_cell(1).output_area.outputs.filter((o) => o.output_type === "error").map((o) => o.ename));
      expect(errors).toEqual(["Interrupted"]);
      // The progress display ended as a summary that says so.
      const summary = await page.$eval(".output_area .privacy-course-progress", (d) => ({ bar: d.querySelector("progress") !== null, text: d.textContent ?? "" }));
      expect(summary).toEqual({ bar: false, text: expect.stringMatching(/interrupted after \d+ of 3000 epochs/) });

      await run(2);
      await page.waitForFunction(() => typeof (window as { Jupyter: { notebook: Nb } }).Jupyter.notebook.get_cell(2).input_prompt_number === "number", { timeout: 120_000 });
      const after = await page.evaluate(() => (window as { Jupyter: { notebook: Nb } }).Jupyter.notebook.get_cell(2).output_area.outputs.map((o) => o.data?.["text/plain"]));
      expect(after).toEqual(["42"]);
    } finally {
      await page.close();
    }
  }, 600_000);
});
