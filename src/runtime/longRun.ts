/**
 * What every long-running loop of the library shares: a cancellation signal, a progress
 * callback, and a turn for the event loop between steps.
 *
 * - The signal is the caller's `AbortSignal`, else the one the running Jupyter kernel publishes
 *   for the current cell under a well-known global symbol (Kernel > Interrupt aborts it), so an
 *   interrupt reaches library code without the notebook passing anything.
 * - Between steps the loop yields to the event loop (at most every YIELD_EVERY_MS), so the
 *   kernel can read the interrupt at all while a long computation runs.
 * - Progress goes to the caller's `onProgress`, else to the default reporter a display layer
 *   registered (render/ registers a notebook progress bar), else nowhere.
 * An aborted loop throws the signal's reason; the loop's own `finally` blocks free its tensors.
 */

/** The current cell's AbortSignal, published by the kernel (src/kernel/cancellation.ts). */
export const KERNEL_CELL_SIGNAL = Symbol.for("jupyter-kernel.cell-signal");

/** Yield to the event loop at most this often: an interrupt is read within it, at negligible cost. */
export const YIELD_EVERY_MS = 20;

export interface Progress {
  /** What runs, e.g. "trainPrivately" or "GAN iteration 2". */
  task: string;
  done: number;
  total: number;
  /** What `done` counts: "epoch", "step", "model", "run"… */
  unit: string;
  /** Latest values worth showing beside the bar (loss, ε…); null when not defined yet. */
  metrics?: Record<string, number | null>;
  /** Milliseconds since the loop started. */
  elapsedMs: number;
  /** The nested call now running, when this one reports through a parent (e.g. "trainGan" in a GAN iteration). */
  detail?: string;
  /** "running", then once "done", "interrupted" (the signal) or "failed" (an error). */
  state: "running" | "done" | "interrupted" | "failed";
}

export interface LongRunOptions {
  /** Stops the loop between two steps: it then throws the signal's reason. Default: the kernel's, in a notebook. */
  signal?: AbortSignal;
  /** Called as the loop advances (every step; throttle in the callback if it is costly). Default: a registered reporter. */
  onProgress?: (progress: Progress) => void;
}

type ProgressReporterFactory = () => ((progress: Progress) => void) | undefined;
let defaultReporter: ProgressReporterFactory | undefined;
/** Runs started and not yet closed: a run started inside another gets no default reporter of its own. */
let openRuns = 0;

/** Registers what shows progress when a caller passes no onProgress (render/ does, for notebooks). */
export function setDefaultProgressReporter(factory: ProgressReporterFactory | undefined): void {
  defaultReporter = factory;
}

export function kernelCellSignal(): AbortSignal | undefined {
  const signal = (globalThis as { [KERNEL_CELL_SIGNAL]?: unknown })[KERNEL_CELL_SIGNAL];
  return signal instanceof AbortSignal ? signal : undefined;
}

/** The signal a loop obeys: the caller's, else the running kernel's for this cell. */
export function effectiveSignal(signal?: AbortSignal): AbortSignal | undefined {
  return signal ?? kernelCellSignal();
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One long-running loop. `await run.step(done, metrics)` after each step, `run.finish()` when it
 * completes, `run.close()` in a `finally`. A loop started while another runs (a training inside
 * a sweep or an audit) gets no default reporter: only the outermost call shows a bar. A parent
 * passes `run.nested()` down to hand on its own signal.
 */
export class LongRun {
  readonly signal?: AbortSignal;
  private readonly report?: (progress: Progress) => void;
  private readonly started = Date.now();
  private lastYield = Date.now();
  private done = 0;
  private metrics?: Record<string, number | null>;
  private detail?: string;
  private ended = false;
  private closed = false;

  constructor(
    readonly task: string,
    readonly total: number,
    readonly unit: string,
    options: LongRunOptions = {},
  ) {
    this.signal = effectiveSignal(options.signal);
    this.signal?.throwIfAborted();
    this.report = options.onProgress ?? (openRuns === 0 ? defaultReporter?.() : undefined);
    openRuns++;
  }

  private emit(state: Progress["state"]): void {
    this.report?.({ task: this.task, done: this.done, total: this.total, unit: this.unit, metrics: this.metrics, detail: this.detail, elapsedMs: Date.now() - this.started, state });
  }

  /** Records progress (for loops whose steps arrive as events, e.g. from worker threads). */
  progress(done: number, metrics?: Record<string, number | null>): void {
    this.done = done;
    this.detail = undefined;
    if (metrics) this.metrics = metrics;
    this.emit("running");
  }

  /** Records progress, yields to the event loop when it is time, and throws if the signal was aborted. */
  async step(done: number, metrics?: Record<string, number | null>): Promise<void> {
    this.progress(done, metrics);
    if (Date.now() - this.lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      this.lastYield = Date.now();
    }
    this.checkSignal();
  }

  /** Throws the signal's reason if it was aborted (reporting the loop as interrupted once). */
  checkSignal(): void {
    if (!this.signal?.aborted) return;
    if (!this.ended) {
      this.ended = true;
      this.emit("interrupted");
    }
    this.signal.throwIfAborted();
  }

  finish(metrics?: Record<string, number | null>): void {
    if (metrics) this.metrics = metrics;
    if (this.ended) return;
    this.ended = true;
    this.emit("done");
  }

  /** Ends the run however the loop ended (call in `finally`): one that neither finished nor was interrupted failed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    openRuns--;
    if (this.ended) return;
    this.ended = true;
    this.emit(this.signal?.aborted ? "interrupted" : "failed");
  }

  /**
   * Options for a call run inside this loop: the same signal, and its progress shown as this
   * loop's, advancing from where this loop stands by `span` of its units as the inner call runs.
   */
  nested(span = 1): LongRunOptions {
    const from = this.done;
    return {
      signal: this.signal,
      onProgress: (inner) => {
        if (inner.state !== "running" || this.ended) return;
        this.done = from + (inner.total > 0 ? span * Math.min(1, inner.done / inner.total) : 0);
        this.metrics = inner.metrics;
        this.detail = inner.detail ? `${inner.task} › ${inner.detail}` : inner.task;
        this.emit("running");
      },
    };
  }
}
