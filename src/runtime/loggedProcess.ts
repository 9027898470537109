/**
 * A child process run without blocking the event loop (the grader keeps several kernels going
 * at once): its output goes to a log file, never to a pipe, so that nothing it leaves behind can
 * keep this waiting; past its wall time it is killed with SIGKILL. A child still running when
 * this process exits (the CLI's SIGINT/SIGTERM handler calls process.exit) is killed too, and
 * its own cleanup (e.g. the kernels it started) is run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";

export interface LoggedProcessOptions {
  /** Written to the child's stdin (then closed); without it, stdin is /dev/null. */
  input?: string;
  /** The child's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** The file the child's stdout and stderr go to (created or truncated). */
  log: string;
  /** Seconds the child may run before it is killed with SIGKILL. */
  timeoutSeconds: number;
  /** Run (synchronously) if this process exits while the child still runs, after the child is killed. */
  cleanupOnExit?: () => void;
}

export interface ProcessEnd {
  status: number | null;
  signal: NodeJS.Signals | null;
  /** The child could not be started. */
  error?: Error;
  /** How it ended, for a message: "exit 1", "killed by SIGKILL after the run's 360 s", … */
  reason: string;
}

/** setTimeout's longest delay; a longer wall time is waited for in steps of it. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const running = new Set<{ child: ChildProcess; cleanupOnExit?: () => void }>();
let exitHookInstalled = false;

function killRunning(): void {
  for (const { child, cleanupOnExit } of running) {
    child.kill("SIGKILL");
    cleanupOnExit?.();
  }
}

export function runLogged(argv: string[], options: LoggedProcessOptions): Promise<ProcessEnd> {
  const log = openSync(options.log, "w");
  let child: ChildProcess;
  try {
    child = spawn(argv[0], argv.slice(1), { env: options.env, stdio: [options.input === undefined ? "ignore" : "pipe", log, log] });
  } finally {
    closeSync(log); // the child holds its own copy from the moment spawn returns
  }
  if (!exitHookInstalled) {
    process.on("exit", killRunning);
    exitHookInstalled = true;
  }
  const entry = { child, cleanupOnExit: options.cleanupOnExit };
  running.add(entry);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    let settled = false;
    const finish = (end: Omit<ProcessEnd, "reason">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      running.delete(entry);
      const reason = end.error
        ? end.error.message
        : end.signal
          ? `killed by ${end.signal}${timedOut && end.signal === "SIGKILL" ? ` after the run's ${options.timeoutSeconds} s` : ""}`
          : `exit ${end.status}`;
      resolve({ ...end, reason });
    };
    const arm = (ms: number) => {
      timer = setTimeout(() => {
        if (ms > MAX_TIMER_MS) return arm(ms - MAX_TIMER_MS);
        timedOut = true;
        child.kill("SIGKILL");
      }, Math.min(ms, MAX_TIMER_MS));
    };
    // Without a pid the child never started (e.g. ENOENT) and no "exit" follows; other errors (a failed kill) change nothing.
    child.on("error", (error) => {
      if (child.pid === undefined) finish({ status: null, signal: null, error });
    });
    child.once("exit", (status, signal) => finish({ status, signal }));
    if (options.input !== undefined && child.stdin) {
      // A child that exits without reading all of it (EPIPE) is reported by its exit status.
      child.stdin.on("error", () => {});
      child.stdin.end(options.input);
    }
    arm(options.timeoutSeconds * 1000);
  });
}
