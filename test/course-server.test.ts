import { afterAll, describe, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { courseJupyterEnv, JUPYTER_PYTHON } from "../src/course/jupyter";
import { serverUrl, setUpCourse, startNotebookServer } from "../src/course/server";

describe("opening the course (what npm start runs)", () => {
  let server: ChildProcess | undefined;
  // A workspace of the test's own: a learner's workspace/ is never touched by the tests.
  const workspace = mkdtempSync(path.join(tmpdir(), "privacy-course-workspace-"));
  afterAll(() => {
    server?.kill("SIGTERM");
    rmSync(workspace, { recursive: true, force: true });
  });

  it("starts Jupyter on localhost with a token, with the course kernel and the workspace's notebooks", async () => {
    setUpCourse(workspace);
    server = startNotebookServer({ port: 18000 + (process.pid % 1000), dir: workspace });
    const url = await serverUrl(server, 90_000);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{16,}$/);
    const base = url.replace(/\/\?token=.*/, "");
    const token = new URL(url).searchParams.get("token")!;

    // Token authentication is on: without it the API refuses.
    expect((await fetch(`${base}/api/kernelspecs`)).status).toBe(403);

    const specs = (await (await fetch(`${base}/api/kernelspecs?token=${token}`)).json()) as {
      kernelspecs: Record<string, { spec: { display_name: string; language: string } }>;
    };
    expect(specs.kernelspecs["privacy-course"].spec.language).toBe("typescript");

    const contents = (await (await fetch(`${base}/api/contents?token=${token}`)).json()) as { content: { name: string }[] };
    expect(contents.content.map((c) => c.name)).toContain("00-welcome.ipynb");

  });

  it("signs the workspace's notebooks in the project's own Jupyter data dir, not the user's", () => {
    const check = (env: NodeJS.ProcessEnv) =>
      spawnSync(
        JUPYTER_PYTHON,
        ["-c", "import sys, nbformat; from nbformat.sign import NotebookNotary; print(NotebookNotary().check_signature(nbformat.read(sys.argv[1], as_version=4)))", path.join(workspace, "04-dp-training.ipynb")],
        { env, encoding: "utf8" },
      ).stdout.trim();
    expect(check(courseJupyterEnv())).toBe("True");
    const elsewhere = mkdtempSync(path.join(tmpdir(), "jupyter-data-"));
    expect(check({ ...process.env, JUPYTER_DATA_DIR: elsewhere })).toBe("False");
  });
});
