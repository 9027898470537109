/**
 * Interrupts that reach code awaiting inside a cell. The kernel publishes an AbortSignal for the
 * running cell under a well-known global symbol (no import needed, so any library can read it,
 * and the kernel knows nothing of who does); Kernel > Interrupt aborts it with an error named
 * "Interrupted", which a cooperating loop throws at its next step. A fresh signal per cell: an
 * interrupt never leaks into the next one.
 */
export const CELL_SIGNAL_KEY = Symbol.for("jupyter-kernel.cell-signal");

/** The reason an interrupted cell's signal carries; its name is what the cell's error shows. */
export class InterruptedError extends Error {
  override readonly name = "Interrupted";
  constructor() {
    super("the kernel was interrupted (Kernel > Interrupt)");
  }
}

type WithSignal = typeof globalThis & { [CELL_SIGNAL_KEY]?: AbortSignal };

export class CellCancellation {
  private controller?: AbortController;

  /** A fresh signal for the cell about to run, published on globalThis. */
  begin(): AbortSignal {
    this.controller = new AbortController();
    (globalThis as WithSignal)[CELL_SIGNAL_KEY] = this.controller.signal;
    return this.controller.signal;
  }

  /** Aborts the running cell's signal; false when no cell runs or it was already aborted. */
  interrupt(): boolean {
    const controller = this.controller;
    if (!controller || controller.signal.aborted) return false;
    controller.abort(new InterruptedError());
    return true;
  }

  end(): void {
    this.controller = undefined;
  }
}
