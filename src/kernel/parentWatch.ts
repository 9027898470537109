/**
 * Ends the kernel when the process that started it is gone, as ipykernel does: orphaned kernels
 * otherwise pile up after a crashed Jupyter. Watched from a worker thread, so a cell that keeps the
 * main thread busy does not keep an orphan alive: the main thread is asked to shut down cleanly,
 * and if it has not within the grace period the process is killed.
 */
import { Worker } from "node:worker_threads";

export interface ParentWatchOptions {
  /** The parent's pid when the kernel started; a different parent later means it died (reparenting). */
  ppid: number;
  /** Jupyter's JPY_PARENT_PID, when set: the server that launched the kernel. */
  jupyterParent?: number;
  intervalMs?: number;
  graceMs?: number;
}

const WATCH_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const { ppid, jupyterParent, intervalMs, graceMs } = workerData;
${isAlive.toString()}
const alive = isAlive;
const timer = setInterval(() => {
  // A parent of pid 1 from the start cannot be told from a reparented orphan (ipykernel skips it too).
  const orphaned = ppid > 1 && process.ppid !== ppid;
  const jupyterGone = jupyterParent > 0 && !alive(jupyterParent);
  if (!orphaned && !jupyterGone) return;
  clearInterval(timer);
  parentPort.postMessage(orphaned ? "parent process " + ppid + " is gone" : "Jupyter (JPY_PARENT_PID " + jupyterParent + ") is gone");
  setTimeout(() => process.kill(process.pid, "SIGKILL"), graceMs);
}, intervalMs);
`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM"; // exists, owned by someone else
  }
}

/** Starts watching; `onParentGone` should shut the kernel down (the worker kills it after `graceMs` otherwise). */
export function watchParent(options: ParentWatchOptions, onParentGone: (reason: string) => void): Worker {
  // A JPY_PARENT_PID not visible now names a process outside this pid namespace (a sandboxed
  // kernel): it cannot be watched, and must not be taken for dead. Checked here, not when the
  // worker thread has booted: by then Jupyter may really have gone.
  const jupyterParent = options.jupyterParent !== undefined && isAlive(options.jupyterParent) ? options.jupyterParent : 0;
  const worker = new Worker(WATCH_WORKER, {
    eval: true,
    workerData: { ppid: options.ppid, jupyterParent, intervalMs: options.intervalMs ?? 1000, graceMs: options.graceMs ?? 3000 },
  });
  worker.unref();
  worker.on("message", (reason: string) => onParentGone(reason));
  return worker;
}

/** JPY_PARENT_PID as a pid, or undefined when unset or not a positive integer. */
export function jupyterParentPid(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const pid = Number(env.JPY_PARENT_PID);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
