/**
 * The learner's workspace: copies of the shipped notebooks made once and never overwritten, one
 * lesson reset to the shipped version with the learner's copy kept, and a lesson run from the
 * workspace (outputs saved into the notebook, Jupyter's checkpoints) leaving git status as it was.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { installKernelSpec, REPO_ROOT } from "../src/kernel/install";
import { NOTEBOOKS_DIR } from "../src/course/lessons";
import { executeNotebook, type Notebook } from "../src/course/notebookRunner";
import { prepareWorkspace, resetLesson, WORKSPACE_DIR } from "../src/course/workspace";
import { expectInputError } from "./helpers/expectInputError";

const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};

describe("the learner's workspace", () => {
  const shippedDir = tempDir("privacy-course-shipped-");
  const dir = path.join(tempDir("privacy-course-ws-"), "workspace");
  writeFileSync(path.join(shippedDir, "00-welcome.ipynb"), '{"shipped": 0}');
  writeFileSync(path.join(shippedDir, "01-data-collection.ipynb"), '{"shipped": 1}');

  it("copies the shipped notebooks on first start and never overwrites a copy", () => {
    expect(prepareWorkspace({ dir, shippedDir })).toEqual({ dir, created: ["00-welcome.ipynb", "01-data-collection.ipynb"], kept: [] });
    writeFileSync(path.join(dir, "01-data-collection.ipynb"), '{"mine": 1}');
    writeFileSync(path.join(shippedDir, "02-anonymisation.ipynb"), '{"shipped": 2}'); // a lesson added by an update
    expect(prepareWorkspace({ dir, shippedDir })).toEqual({ dir, created: ["02-anonymisation.ipynb"], kept: ["00-welcome.ipynb", "01-data-collection.ipynb"] });
    expect(readFileSync(path.join(dir, "01-data-collection.ipynb"), "utf8")).toBe('{"mine": 1}');
  });

  it("resets one lesson to the shipped version, keeping the learner's copy aside", () => {
    const { restored, keptAs } = resetLesson("01", { dir, shippedDir });
    expect(restored).toBe(path.join(dir, "01-data-collection.ipynb"));
    expect(readFileSync(restored, "utf8")).toBe('{"shipped": 1}');
    expect(readFileSync(keptAs!, "utf8")).toBe('{"mine": 1}');
    expect(readFileSync(path.join(dir, "00-welcome.ipynb"), "utf8")).toBe('{"shipped": 0}');
  });

  it("names the lessons when asked to reset one that does not exist", () => {
    expectInputError(() => resetLesson("07", { dir, shippedDir }), "lesson");
    expectInputError(() => resetLesson("", { dir, shippedDir }), "lesson");
  });

  it("is ignored by git, with Jupyter's checkpoints", () => {
    const ignored = (file: string) => spawnSync("git", ["check-ignore", "-q", file], { cwd: REPO_ROOT }).status === 0;
    expect(ignored(path.join(WORKSPACE_DIR, "00-welcome.ipynb"))).toBe(true);
    expect(ignored(path.join(NOTEBOOKS_DIR, ".ipynb_checkpoints", "00-welcome-checkpoint.ipynb"))).toBe(true);
    expect(ignored(path.join(NOTEBOOKS_DIR, "00-welcome.ipynb"))).toBe(false);
  });

  it("runs a lesson from the workspace, saving its outputs there, and leaves git status as it was", async () => {
    const status = () => spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout;
    const before = status();
    // Inside the real (ignored) workspace folder, in a folder of the test's own: a learner's copies are not touched.
    const testWorkspace = path.join(WORKSPACE_DIR, `.test-${process.pid}`);
    temporary.push(testWorkspace);
    installKernelSpec({ projectLocal: true });
    prepareWorkspace({ dir: testWorkspace });
    const copy = path.join(testWorkspace, "00-welcome.ipynb");
    const run = await executeNotebook(JSON.parse(readFileSync(copy, "utf8")) as Notebook, { cwd: testWorkspace, cellTimeout: 120 });
    expect(run.errors).toEqual([]);
    // What Jupyter does while a learner works: autosave the outputs, write a checkpoint.
    writeFileSync(copy, JSON.stringify(run.notebook));
    mkdirSync(path.join(testWorkspace, ".ipynb_checkpoints"), { recursive: true });
    writeFileSync(path.join(testWorkspace, ".ipynb_checkpoints", "00-welcome-checkpoint.ipynb"), JSON.stringify(run.notebook));
    expect(run.notebook.cells.some((c) => (c.outputs ?? []).length > 0)).toBe(true);
    expect(existsSync(copy)).toBe(true);
    expect(status()).toBe(before);
  });
});
