/**
 * Starts the kernel for one connection file: sockets first (kernel_info is answered within
 * moments), TypeScript and tslab's compiler afterwards, once the client has gone quiet or the
 * first cell needs them.
 */
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { StringDecoder } from "node:string_decoder";
import { setFlagsFromString } from "node:v8";
import { enableCompileCache } from "./compileCache";
import { setDisplaySink } from "./display";
import { TypeScriptEngine, typeScriptVersion } from "./engine";
import { Kernel, type Channel } from "./kernel";
import { jupyterParentPid, watchParent } from "./parentWatch";
import { decode, encode, type Message } from "./protocol";
import { KernelSockets, readConnectionFile } from "./sockets";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
/**
 * Quiet time after the last request before building tslab's compiler (1–2 s, during which the
 * main thread answers nothing): long enough that a frontend's start-up exchange (kernel_info,
 * comm_info, history) is answered first. A request that needs the compiler builds it at once.
 */
const WARM_UP_DELAY_MS = 1500;
/** is_complete needs only TypeScript's parser, which loads in a fraction of the compiler's time. */
const NEEDS_COMPILER = new Set(["execute_request", "complete_request", "inspect_request"]);

export async function startKernel(connectionFile: string): Promise<void> {
  // tslab builds a new TypeScript program for every cell. With V8's default heap growth, old
  // space kept ~3× its live objects reserved after collecting: RSS rose ×1.6–2.0 from cell 100 to
  // cell 1000 of the soak (290 → 470–570 MB) while live objects grew 8%. Growing the heap for
  // size instead: ×1.35 (227 → 305 MB), with no measurable cost per cell (bench/kernelSoak.bench.ts).
  setFlagsFromString("--optimize-for-size");
  const cache = enableCompileCache(path.join(REPO_ROOT, "node_modules", ".cache", "privacy-course-kernel"));
  const info = readConnectionFile(connectionFile);
  const session = randomUUID();
  const writeOut = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const log = (message: string) => void writeErr(`[privacy-course kernel] ${message}\n`);

  const engine = new TypeScriptEngine(process.cwd());
  // Ctrl-C / Jupyter's "interrupt" (signal mode): synchronous code is stopped by the executor's
  // breakOnSigint, a pending top-level await by interrupt(); an idle kernel ignores it.
  process.on("SIGINT", () => engine.interrupt());
  let sockets: KernelSockets | undefined;
  const kernel = new Kernel({
    engine,
    session,
    implementationVersion: (require(path.join(REPO_ROOT, "package.json")) as { version: string }).version,
    languageVersion: typeScriptVersion(),
    log,
    transport: {
      send(channel: Channel, message: Message<object>, identities?: readonly Buffer[]) {
        // iopub frames start with a topic, as ipykernel's do: kernel.<session>.<msg_type>.
        const ids = channel === "iopub" ? [`kernel.${session}.${message.header.msg_type}`] : identities ?? [];
        sockets?.send(channel, encode(info.key, message, ids));
      },
    },
    onShutdown: () => setImmediate(shutDown),
  });
  const shutDown = async () => {
    restore();
    await sockets?.close().catch(() => undefined);
    engine.close();
    process.exit(0);
  };
  watchParent({ ppid: process.ppid, jupyterParent: jupyterParentPid() }, (reason) => {
    log(`${reason}: shutting down`);
    void shutDown();
  });

  let warmed = false;
  let warmTimer: NodeJS.Timeout | undefined;
  const warmUp = () => {
    if (warmed) return;
    warmed = true;
    clearTimeout(warmTimer);
    const started = performance.now();
    const startedAt = new Date().toISOString();
    engine.warm();
    cache.flush();
    exposeToTslab(kernel);
    if (process.env.PRIVACY_COURSE_KERNEL_DEBUG) log(`TypeScript ready in ${Math.round(performance.now() - started)} ms (building started at ${startedAt})`);
  };
  const scheduleWarmUp = (delay: number) => {
    if (warmed) return;
    clearTimeout(warmTimer);
    warmTimer = setTimeout(warmUp, delay);
  };
  let restore: () => void = () => undefined;

  sockets = await KernelSockets.open(
    info,
    (channel, frames) => {
      let message;
      try {
        message = decode(info.key, frames);
      } catch (error) {
        log(`dropped a message: ${String(error)}`);
        return;
      }
      if (NEEDS_COMPILER.has(message.header.msg_type)) warmUp();
      else scheduleWarmUp(WARM_UP_DELAY_MS);
      void kernel.receive(channel, message);
    },
    log,
  );

  // From here on, the learner's output goes to the notebook; the kernel's own log to stderr.
  restore = redirectOutput(kernel, writeOut, writeErr);
  setDisplaySink({ display: (bundle, options) => kernel.display(bundle, options), clearOutput: (wait) => kernel.clearOutput(wait) });
  process.on("uncaughtException", (error) => kernel.stream("stderr", `Uncaught exception: ${error?.stack ?? String(error)}\n`));
  process.on("unhandledRejection", (reason) => kernel.stream("stderr", `Unhandled promise rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`));
  kernel.starting();
  scheduleWarmUp(WARM_UP_DELAY_MS);
  await new Promise<never>(() => undefined); // runs until shutdown_request exits the process
}

/** process.stdout/stderr → iopub stream messages; returns a function that undoes it. */
function redirectOutput(kernel: Kernel, writeOut: typeof process.stdout.write, writeErr: typeof process.stderr.write): () => void {
  for (const name of ["stdout", "stderr"] as const) {
    const decoder = new StringDecoder("utf8");
    process[name].write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      const text = typeof chunk === "string" ? chunk : decoder.write(Buffer.from(chunk));
      kernel.stream(name, text);
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    }) as typeof process.stdout.write;
  }
  return () => {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  };
}

/** `import * as tslab from "tslab"; tslab.display.html(…)` works too: tslab reads this hook. */
function exposeToTslab(kernel: Kernel): void {
  try {
    const jupyter = require(require.resolve("tslab/dist/jupyter")) as {
      lastWriteDisplayData: (data: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient?: { display_id?: string } }, update: boolean) => void;
    };
    jupyter.lastWriteDisplayData = (data, update) =>
      kernel.display(data.data, { metadata: data.metadata, displayId: data.transient?.display_id, update });
  } catch {
    // tslab's public API is a convenience; the course's own display() does not need it.
  }
}
