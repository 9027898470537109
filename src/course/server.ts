/**
 * Opening the course: register the kernel in the project's .jupyter/, copy the shipped notebooks
 * into the learner's workspace (those not there yet), trust them (so their charts run when
 * opened), and start Jupyter Notebook on the workspace, bound to localhost with token
 * authentication left on.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { installKernelSpec } from "../kernel/install";
import { courseJupyterEnv, JUPYTER_PYTHON, jupyterAvailable, missingJupyterMessage } from "./jupyter";
import { NOTEBOOKS_DIR } from "./lessons";
import { ensurePackageBuilt } from "./packageBuild";
import { prepareWorkspace, WORKSPACE_DIR } from "./workspace";

export function trustCourseNotebooks(dir = NOTEBOOKS_DIR): string[] {
  const notebooks = readdirSync(dir)
    .filter((f) => f.endsWith(".ipynb"))
    .map((f) => path.join(dir, f));
  const run = spawnSync(JUPYTER_PYTHON, ["-m", "nbformat.sign", ...notebooks], {
    env: courseJupyterEnv(),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`jupyter trust failed: ${run.stderr}`);
  return notebooks;
}

export interface OpenOptions {
  port?: number;
  /** The folder Jupyter opens (default: the learner's workspace). */
  dir?: string;
  /** Open a browser window (off by default: the URL is printed). */
  browser?: boolean;
}

export function setUpCourse(workspace = WORKSPACE_DIR): void {
  if (!jupyterAvailable()) throw new Error(missingJupyterMessage());
  ensurePackageBuilt();
  installKernelSpec({ projectLocal: true });
  prepareWorkspace({ dir: workspace });
  trustCourseNotebooks(workspace);
}

export function startNotebookServer({ port = 8888, browser = false, dir = WORKSPACE_DIR }: OpenOptions = {}): ChildProcess {
  const args = [
    "-m",
    "notebook",
    `--notebook-dir=${dir}`,
    "--ip=127.0.0.1",
    `--port=${port}`,
    browser ? "--NotebookApp.open_browser=True" : "--no-browser",
    // Containers and CI run as root; Jupyter refuses that unless told. Still localhost + token.
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  return spawn(JUPYTER_PYTHON, args, { env: courseJupyterEnv(), stdio: ["ignore", "pipe", "pipe"] });
}

/** Resolves to the server's URL (with its token) once Jupyter prints it. */
export function serverUrl(server: ChildProcess, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`Jupyter did not print its URL within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout?.on("data", look);
    server.stderr?.on("data", look);
    server.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Jupyter exited with code ${code}:\n${seen}`));
    });
  });
}
