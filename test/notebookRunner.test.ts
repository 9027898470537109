/**
 * executeNotebook after a stopped cell: nbclient leaves the stopped cell's iopub reader running,
 * and unless it is cancelled it competes with the next cell's reader and can swallow that cell's
 * outputs (a grading cell then lost its grade, with no error). Several stops in a row, each
 * followed by cells whose outputs must all arrive.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { executeNotebook, type Notebook } from "../src/course/notebookRunner";
import { JUPYTER_PYTHON, jupyterAvailable, missingJupyterMessage } from "../src/course/jupyter";
import { NOTEBOOKS_DIR } from "../src/course/lessons";
import { installKernelSpec } from "../src/kernel/install";

beforeAll(() => {
  if (!jupyterAvailable()) throw new Error(missingJupyterMessage());
  installKernelSpec({ projectLocal: true });
});

const code = (source: string) => ({ cell_type: "code", source, metadata: {}, outputs: [], execution_count: null });

describe("executeNotebook after a stopped cell", () => {
  it("gives every following cell its own outputs", async () => {
    const rounds = 4;
    const cells = Array.from({ length: rounds }, (_, r) => [
      code("while (true) {}"),
      code(`console.log("printed ${r}");\n${r} * 10`),
      code(`${r} * 10 + 1`),
    ]).flat();
    const notebook: Notebook = { cells, metadata: { kernelspec: { name: "privacy-course", display_name: "TypeScript", language: "typescript" } }, nbformat: 4, nbformat_minor: 5 };
    const run = await executeNotebook(notebook, { cwd: NOTEBOOKS_DIR, cellTimeout: 3 });
    expect(run.errors.map((e) => [e.cell, e.ename])).toEqual(Array.from({ length: rounds }, (_, r) => [3 * r, "CellTimeoutError"]));
    const text = (index: number) =>
      (run.notebook.cells[index].outputs ?? []).map((o) => [o.output_type, String(o.text ?? (o.data as Record<string, unknown> | undefined)?.["text/plain"] ?? "").trim()]);
    for (let r = 0; r < rounds; r++) {
      expect([r, text(3 * r + 1)]).toEqual([r, [["stream", `printed ${r}`], ["execute_result", String(r * 10)]]]);
      expect([r, text(3 * r + 2)]).toEqual([r, [["execute_result", String(r * 10 + 1)]]]);
    }
  }, 180_000);
});

/** Runs a Python snippet with scripts/execute_notebook.py loaded as module `enb`; returns its stdout. */
function withRunnerModule(snippet: string): string {
  const script = path.join(__dirname, "..", "scripts", "execute_notebook.py");
  const prelude = [
    "import asyncio, importlib.util, nbformat",
    "from nbclient import NotebookClient",
    `spec = importlib.util.spec_from_file_location("enb", ${JSON.stringify(script)})`,
    "enb = importlib.util.module_from_spec(spec)",
    "spec.loader.exec_module(enb)",
  ].join("\n");
  const run = spawnSync(JUPYTER_PYTHON, ["-c", `${prelude}\n${snippet}`], { encoding: "utf8", timeout: 30_000 });
  if (run.status !== 0) throw new Error(run.error ? run.error.message : run.stderr);
  return run.stdout.trim();
}

describe("cancel_stale_output_pollers", () => {
  it("cancels an nbclient output reader left waiting on iopub, and nothing else", { timeout: 60_000 }, () => {
    const snippet = [
      "class Channel:",
      "    async def get_msg(self, timeout=None):",
      "        await asyncio.sleep(3600)",
      "class Kc:",
      "    iopub_channel = Channel()",
      "async def main():",
      "    client = NotebookClient(nbformat.v4.new_notebook())",
      "    client.kc = Kc()",
      "    reader = asyncio.ensure_future(client._async_poll_output_msg('parent', nbformat.v4.new_code_cell('x'), 0))",
      "    other = asyncio.ensure_future(asyncio.sleep(3600))",
      "    await asyncio.sleep(0.01)",
      "    await enb.cancel_stale_output_pollers()",
      "    print(reader.cancelled(), other.cancelled())",
      "    other.cancel()",
      "asyncio.run(main())",
    ].join("\n");
    expect(withRunnerModule(snippet)).toBe("True False");
  });
});
