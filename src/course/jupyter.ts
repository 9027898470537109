/**
 * The course's own Jupyter setup, kept inside the project: the kernel is registered under
 * .jupyter/ and every Jupyter process the course starts gets an environment pointing there,
 * so the learner's global Jupyter configuration is never touched.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { DEFAULT_PYTHON, REPO_ROOT } from "../kernel/install";

export { REPO_ROOT };
/** Debian's Jupyter runs on the system interpreter, not on whichever python3 is first on PATH. */
export const JUPYTER_PYTHON = DEFAULT_PYTHON;
export const PROJECT_JUPYTER_DIR = path.join(REPO_ROOT, ".jupyter");
/** A Jupyter data path (like a --prefix's share/jupyter): kernels/privacy-course lives below it. */
export const PROJECT_JUPYTER_PATH = path.join(PROJECT_JUPYTER_DIR, "share", "jupyter");

export function courseJupyterEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    JUPYTER_PATH: [PROJECT_JUPYTER_PATH, base.JUPYTER_PATH].filter(Boolean).join(path.delimiter),
    JUPYTER_CONFIG_DIR: path.join(PROJECT_JUPYTER_DIR, "config"),
    JUPYTER_DATA_DIR: path.join(PROJECT_JUPYTER_DIR, "data"),
    JUPYTER_RUNTIME_DIR: path.join(PROJECT_JUPYTER_DIR, "runtime"),
    // Keep Python from writing bytecode into the system's site-packages or the repo.
    PYTHONDONTWRITEBYTECODE: "1",
  };
}


/** Whether Debian's Jupyter (notebook, nbconvert, nbclient) can be imported by JUPYTER_PYTHON. */
export function jupyterAvailable(): boolean {
  if (!existsSync(JUPYTER_PYTHON)) return false;
  const probe = spawnSync(JUPYTER_PYTHON, ["-c", "import notebook, nbconvert, nbclient"], { stdio: "ignore" });
  return probe.status === 0;
}

export function missingJupyterMessage(): string {
  return (
    `Jupyter is not installed for ${JUPYTER_PYTHON}. Run: sh scripts/setup-jupyter.sh ` +
    `(it installs Debian's packages, or prints the apt-get line to run as root)`
  );
}
